"""Container errors (集装箱错误, 一箱制): a container no one may see, a second registration."""

from __future__ import annotations

from logispace.core.errors import Conflict, NotFound


class ContainerNotFound(NotFound):
    """No such container, or the caller's party has no part in it (集装箱不存在)."""

    code = "container-not-found"
    title = "Container not found"


class ContainerAlreadyRegistered(Conflict):
    """The container's master data is registered by a party already (集装箱已登记)."""

    code = "container-already-registered"
    title = "The container is registered already"
