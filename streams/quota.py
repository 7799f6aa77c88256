"""Keep `sinks.ratelimit.GROUP_SHARE` equal to the live member count of this worker's consumer group,
so N workers share each vendor's quota instead of taking N times it.

The count comes from the broker's description of the group (the members of the current
assignment), read off the event loop every few seconds and right after every rebalance. A group
in the middle of a rebalance keeps the last stable count.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import faust
from confluent_kafka import ConsumerGroupState
from confluent_kafka.admin import AdminClient

from callstream.settings import Settings
from sinks.ratelimit import GROUP_SHARE, GroupShare

log = logging.getLogger("callstream.quota")

REFRESH_SECONDS = 3.0


def count_members(admin: AdminClient, group_id: str, timeout: float = 5.0) -> int | None:
    """Members of the group's current assignment, or None while it is not stable (or unknown)."""
    try:
        group = admin.describe_consumer_groups([group_id], request_timeout=timeout)[group_id].result(timeout=timeout)
    except Exception:
        return None
    if group.state != ConsumerGroupState.STABLE or not group.members:
        return None
    return len(group.members)


def register(app: faust.App, settings: Settings, share: GroupShare = GROUP_SHARE) -> None:
    share.track()
    rebalanced = asyncio.Event()

    @app.on_rebalance_complete.connect
    async def on_rebalance(sender: Any, **kwargs: Any) -> None:
        rebalanced.set()

    @app.task
    async def track_group_members() -> None:
        admin = AdminClient(settings.kafka_client_config() | {"log_level": 0})
        while True:
            members = await asyncio.to_thread(count_members, admin, settings.group_id)
            if members is not None:
                share.set_members(members)
            rebalanced.clear()
            try:
                # Soon after a rebalance the group may still be settling: look again shortly.
                await asyncio.wait_for(rebalanced.wait(), timeout=REFRESH_SECONDS)
                await asyncio.sleep(0.5)
            except TimeoutError:
                pass
