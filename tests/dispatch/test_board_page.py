"""The dispatcher's board (调度看板) through the page routes: what it lists, accepting a proposal with its
form, a route plan drawn from coordinates, and Chinese only."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.conftest import World
from tests.dispatch.test_api import market
from tests.identity.support import Browser
from tests.web.page_text import foreign_words, parse

__all__ = ["market"]


def test_the_board_lists_decides_and_draws(
    app: FastAPI, client: TestClient, world: World, market: dict[str, object]
) -> None:
    with TestClient(app, base_url="http://testserver") as own:
        page = Browser(own, world.a_admin.username)
        empty = page.get("/dispatch")
        assert empty.status_code == 200
        assert "暂无匹配方案。" in empty.text
        assert page.post("/dispatch/match-runs", {"match_mode": "chain"}).status_code == 303
        ran = page.get("/dispatch")
        assert ran.text.count('data-testid="dispatch-proposal"') == 2
        assert "没有载重或容积足够的车辆" in ran.text  # HEAVY-1, 45 t
        assert "<td>60.0</td>" in ran.text and "<td>80.0</td>" in ran.text  # 桂A10001's m3, BULKY-1's m3
        assert "节约里程" in ran.text
        accept = re.search(r'action="(/dispatch/match-runs/[^"]+/accept)"', ran.text)
        assert accept
        assert page.post(accept.group(1)).status_code == 303
        assert "已接受" in page.get("/dispatch").text
        assert page.post("/dispatch/route-plans").status_code == 303
        planned = page.get("/dispatch")
        assert 'id="route-map-data"' in planned.text
        assert "总里程" in planned.text
        text = parse(planned.text)[0]
        assert foreign_words(text, {world.a_admin.username}) == []
