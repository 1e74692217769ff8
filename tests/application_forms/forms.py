"""A form with every field type and every kind of condition, shared by the tests."""


def words(text: str) -> dict[str, str]:
    return {"fi": f"{text} (fi)", "sv": f"{text} (sv)", "en": text}


def field(key: str, kind: str, **settings) -> dict:
    return {"key": key, "type": kind, "label": words(key), **settings}


EVERY_TYPE = {
    "sections": [
        {
            "key": "basics",
            "title": words("Basics"),
            "help": words("About the association"),
            "fields": [
                field("name", "short_text", required=True, max_length=50),
                field("story", "long_text", help=words("Tell us")),
                field("score", "number", min=-10, max=10),
                field("rent", "money", max="5000"),
                field("members", "count", required=True, indicator="members"),
                field("founded", "date"),
                field(
                    "kind",
                    "choice",
                    choices=[
                        {"value": "sports", "label": words("Sports")},
                        {"value": "culture", "label": words("Culture")},
                    ],
                ),
                field(
                    "groups",
                    "multiple_choice",
                    choices=[
                        {"value": "youth", "label": words("Youth")},
                        {"value": "seniors", "label": words("Seniors")},
                    ],
                ),
                field("premises", "yes_no", required=True),
            ],
        },
        {
            "key": "more",
            "title": words("More"),
            "fields": [
                # Shown only when another answer has a value.
                field(
                    "landlord",
                    "short_text",
                    required=True,
                    show_if={"field": "premises", "equals": True},
                ),
                # Required when one of several choices is chosen.
                field("youth_plan", "long_text", require_if={"field": "groups", "equals": "youth"}),
                # Required over a requested amount; shown only over another.
                field("plan", "long_text", require_if={"amount_over": "5000"}),
                field("audit", "file", show_if={"amount_over": "10000"}, extensions=["pdf"]),
                field(
                    "accounts", "file", required=True, extensions=["pdf", "xlsx"], max_bytes=1000
                ),
                field(
                    "events",
                    "table",
                    max_rows=5,
                    indicator="events",
                    columns=[
                        field("title", "short_text", required=True),
                        field("day", "date"),
                        field("people", "count"),
                        field("cost", "money"),
                    ],
                ),
            ],
        },
    ]
}

# What a complete application to EVERY_TYPE answers at 5 000 € (the plan not yet required);
# `accounts` is filled in with an attachment's id by the tests.
COMPLETE = {
    "name": "Seura",
    "story": "Pitkä tarina.",
    "score": 2.5,
    "rent": "1200.50",
    "members": 40,
    "founded": "1990-05-01",
    "kind": "sports",
    "groups": ["seniors"],
    "premises": True,
    "landlord": "Kaupunki",
    "events": [{"title": "Kevätjuhla", "day": "2027-05-20", "people": 80, "cost": "300"}],
}
