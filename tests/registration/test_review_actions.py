"""The review action table: one row per step, the API routes and the review page made from the same rows."""

from typing import get_args

from fastapi.routing import APIRoute

from logispace.domains.registration.i18n import ENGLISH, REGISTRATION_LABELS
from logispace.domains.registration.review.actions import BY_NAME, REVIEW_ACTIONS, ActionName
from logispace.domains.registration.review.api import router


def test_every_page_action_has_one_row() -> None:
    assert sorted(get_args(ActionName)) == sorted(BY_NAME)
    assert len(BY_NAME) == len(REVIEW_ACTIONS)


def test_every_row_has_a_success_message_in_both_languages() -> None:
    for action in REVIEW_ACTIONS:
        message = REGISTRATION_LABELS["done"][action.name]
        assert message in ENGLISH, action.name


def test_every_row_is_one_post_route_of_the_api() -> None:
    routes = {r.name: r for r in router.routes if isinstance(r, APIRoute)}
    for action in REVIEW_ACTIONS:
        route = routes[action.operation]
        assert route.path == "/api/v1/registration/applications/{application_id}" + action.path
        assert route.methods == {"POST"}
        assert route.status_code == action.status_code
        assert route.response_model is action.result
        assert route.summary == f"{action.summary} (authority)"
        assert route.description == ""
        body = route.body_field
        assert body is not None and body.field_info.is_required() is not action.body_optional
