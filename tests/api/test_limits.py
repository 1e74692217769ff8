"""A body over Django's own limits (DATA_UPLOAD_MAX_NUMBER_FIELDS) is the API's JSON 400 in the
person's language, not Django's HTML page."""

import pytest
from rest_framework.test import APIClient

from tests.conftest import as_user

pytestmark = pytest.mark.django_db


def test_a_form_with_too_many_fields_is_a_json_400_in_the_persons_language(people, body):
    fields = "&".join(["payables=1"] * 1001) + f"&public_body={body.pk}"

    response = as_user(APIClient(), people["finance"]).post(
        "/api/v1/finance/batches/",
        fields,
        content_type="application/x-www-form-urlencoded",
        HTTP_ACCEPT_LANGUAGE="fi",
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Pyynnössä on liikaa kenttiä tai se on liian suuri."}
