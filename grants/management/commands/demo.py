from django.core.management.base import BaseCommand

from agreements.demo import load_agreements
from agreements.documents import agreement_documents_sweep
from documents.sweeps import sweep
from grants import demo


class Command(BaseCommand):
    help = (
        "Load the demo data once: a municipality, associations, people, applications and "
        "partnership agreements."
    )

    def handle(self, *args, **options) -> None:
        if demo.is_loaded():
            self.stdout.write("Demo data is already loaded.")
        else:
            demo.load_demo()
            load_agreements()
            # The demo's decisions and agreements get their documents now, not at the worker's
            # first sweep.
            sweep()
            agreement_documents_sweep()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Demo logins (password '{demo.PASSWORD}' for everyone):")
        for username, roles in demo.demo_logins():
            self.stdout.write(f"  {username:8} {roles}")
