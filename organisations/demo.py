"""What the demos of grants and agreements share: the municipality they both run in (made by
grants.demo, found by agreements.demo)."""

from organisations.identifiers import business_id_for

MUNICIPALITY_ID = business_id_for(123456)
