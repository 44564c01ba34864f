from typing import Any


def browser_login(page: Any, live_server: Any, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    # Each role lands on its own home (residents on their requests): wait to leave the form.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
