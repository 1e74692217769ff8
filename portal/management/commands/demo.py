from collections import Counter

from django.core import mail
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from agreements.demo import load_agreements
from agreements.documents import agreement_documents_sweep
from finance.hand_over import hand_over_sweep
from grants import demo
from grants.documents import decision_documents_sweep
from liaison.demo import load_liaison
from workflow.models import Notification


class Command(BaseCommand):
    help = (
        "Load the demo data once: a municipality, associations, people, applications and "
        "partnership agreements."
    )

    def handle(self, *args, **options) -> None:
        if demo.is_loaded():
            self.stdout.write("Demo data is already loaded.")
        else:
            # What the demo's past sends (the finance mailbox's decisions) is kept here and
            # summed up in a line, not printed in full by the console backend.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                mail.outbox = []
                demo.load_demo()
                load_agreements()
                load_liaison()
                # The demo's decisions and agreements get their documents now, not at the
                # worker's first sweep.
                decision_documents_sweep()
                hand_over_sweep()
                agreement_documents_sweep()
                sent = Counter(address for message in mail.outbox for address in message.to)
                del mail.outbox
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
            if sent:
                self.stdout.write(
                    f"It sent {sum(sent.values())} emails: "
                    + ", ".join(f"{count} to {address}" for address, count in sorted(sent.items()))
                    + "."
                )
            waiting = Notification.objects.filter(status=Notification.Status.PENDING).count()
            self.stdout.write(f"{waiting} notifications wait in the outbox for the worker.")
        self.stdout.write(f"Demo logins (password '{demo.PASSWORD}' for everyone):")
        for username, roles in demo.demo_logins():
            self.stdout.write(f"  {username:8} {roles}")
