"""Login throttling (django-axes): 5 wrong passwords for one user name from one address lock that pair out."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model

PASSWORD = "arakawa-情報システム-2021"


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_superuser("kanri", "kanri@example.jp", PASSWORD)


def _log_in(client, password, username="kanri"):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def test_the_right_password_is_refused_after_five_wrong_ones(client, staff):
    for _ in range(6):
        _log_in(client, "machigai")
    response = _log_in(client, PASSWORD)
    assert response.status_code == 429
    text = response.content.decode()
    assert "ログインを一時停止しています" in text and "15分ほど待ってから" in text
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still sent to the login page
    assert AccessAttempt.objects.get(username="kanri").failures_since_start >= 5


def test_four_wrong_passwords_do_not_lock_and_a_success_resets_the_count(client, staff):
    for _ in range(4):
        assert _log_in(client, "machigai").status_code == 200  # the form again, with its error
    assert _log_in(client, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="kanri").exists()


def test_the_lockout_is_for_that_user_name_from_that_address(client, staff):
    get_user_model().objects.create_superuser("tanto", "tanto@example.jp", PASSWORD)
    for _ in range(5):
        _log_in(client, "machigai")
    assert _log_in(client, PASSWORD).status_code == 429
    assert _log_in(client, PASSWORD, username="tanto").status_code == 302


def test_the_public_login_page_is_throttled_too(client, staff):
    for _ in range(4):
        assert client.post("/accounts/login/", {"username": "kanri", "password": "machigai"}).status_code == 200
    assert client.post("/accounts/login/", {"username": "kanri", "password": "machigai"}).status_code == 429  # the 5th
    response = client.post("/accounts/login/", {"username": "kanri", "password": PASSWORD})
    assert response.status_code == 429 and "ログインを一時停止しています" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_force_login_still_works_for_tests(admin_client):
    assert admin_client.get("/admin/").status_code == 200
