"""Printing an ImportReport the same way from every import command."""

from __future__ import annotations

from django.core.management.base import CommandError, OutputWrapper

from civicgrid.core.imports import ImportReport


def print_report(report: ImportReport, stdout: OutputWrapper, stderr: OutputWrapper) -> None:
    stdout.write(report.summary())
    for warning in report.warnings:
        stdout.write(f"警告:{warning}")
    for error in sorted(report.errors, key=lambda e: e.line):
        stderr.write(f"错误:{error}")
    if report.errors:
        raise CommandError(
            f"{len(report.errors)} {report.unit}被拒绝(其余已导入),请修正后重新导入", returncode=2
        )
