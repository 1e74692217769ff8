"""Celery beat's scheduler: the persistent one, with a heartbeat for the health check.

Beat has no remote-control endpoint (`celery inspect ping` reaches workers only), and a
process that is running is not necessarily a beat whose loop still turns. So the scheduler
touches `<schedule file>.heartbeat` on every tick; beat ticks at least every
CELERY_BEAT_MAX_LOOP_INTERVAL seconds, and docker-compose.yml's health check calls beat
unhealthy when the file is older than a few of those.
"""

from pathlib import Path

from celery.beat import PersistentScheduler


class HeartbeatScheduler(PersistentScheduler):
    def tick(self, *args, **kwargs) -> float:
        Path(f"{self.schedule_filename}.heartbeat").touch()
        return super().tick(*args, **kwargs)
