"""The portal's own error pages: a database that cannot be reached answers 503 with
Retry-After; any other error 500. Neither touches the database (see sixaika.views.server_error);
the real outage is tested in tests/faults/test_database_restart.py."""

import psycopg
import pytest
from django.db import OperationalError, connection
from django.db.transaction import TransactionManagementError
from django.test import Client
from django.urls import path


def _database_gone(request):
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")


def _lost_mid_result(request):
    # What psycopg raises when libpq reports a connection lost while a result was read: an
    # error with no SQLSTATE, so plain DatabaseError; wrapped as Django wraps every query's.
    with connection.wrap_database_errors:
        raise psycopg.DatabaseError("server closed the connection unexpectedly")


def _after_the_loss(request):
    # Code that went on after a lost connection: the error it meets names the loss as its cause.
    try:
        _database_gone(request)
    except OperationalError as error:
        raise TransactionManagementError("An error occurred in the current transaction") from error


def _server_refused(request):
    # An error the server sent with its code: the statement's fault, not the connection's.
    with connection.wrap_database_errors:
        raise psycopg.errors.lookup("42601")("syntax error at or near")


def _bug(request):
    raise ValueError("a bug")


urlpatterns = [
    path("gone/", _database_gone),
    path("lost/", _lost_mid_result),
    path("after/", _after_the_loss),
    path("refused/", _server_refused),
    path("bug/", _bug),
]
handler500 = "sixaika.views.server_error"


@pytest.fixture
def client_without_raising(settings):
    settings.ROOT_URLCONF = __name__
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("url", ["/gone/", "/lost/", "/after/"])
def test_an_unreachable_database_answers_503_with_retry_after(client_without_raising, url):
    response = client_without_raising.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Palvelu on tilapäisesti poissa käytöstä" in response.content.decode()


def test_any_other_error_answers_500_in_the_users_language(client_without_raising):
    assert client_without_raising.get("/refused/").status_code == 500
    response = client_without_raising.get("/bug/")
    assert response.status_code == 500
    assert "<h1>Jokin meni vikaan</h1>" in response.content.decode()
    client_without_raising.cookies["django_language"] = "en"
    assert "<h1>Something went wrong</h1>" in client_without_raising.get("/bug/").content.decode()
