from django.contrib import admin

from civicgrid.participation.councils.models import Council, CouncilMember


class MemberInline(admin.TabularInline):
    model = CouncilMember
    extra = 0


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "community_code", "support_threshold", "retired_on"]
    search_fields = ["name", "community_code"]
    inlines = [MemberInline]
