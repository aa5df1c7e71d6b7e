"""Load the demo: four users, a fictional wire report with claims in every status, and a
second one just imported, whose suggested claims are waiting for an Editor.

Safe to run again: users get their demo password back, the article is created once.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.models import Article
from articles.services import article_import
from claims.models import ClaimOrigin, ClaimStatus, Stance, Via
from claims.services import (
    claim_assign,
    claim_create,
    claim_transition,
    claims_bulk_assign,
    source_add,
)
from newsdesk.auth import EDITORS, REVIEWERS

DEMO_PASSWORD = "newsdesk-demo"
DEMO_USERS = [
    # username, full name, group, staff, superuser
    ("editor", "Elena Editor", EDITORS, False, False),
    ("reviewer", "Rui Reviewer", REVIEWERS, False, False),
    ("reviewer2", "Rania Reviewer", REVIEWERS, False, False),
    ("admin", "Ada Admin", None, True, True),
]

OUTLET = "Newsdesk Wire (fictional)"
TITLE = "Five convoys attacked on northern supply route, ministry says"
BODY = """\
This is a fictional article written for the Newsdesk demo. Every place, person, group and \
event in it is invented; any resemblance to real ones is a coincidence.

VALDORA, March 3 (Newsdesk Wire) - Five aid convoys came under attack on the northern supply \
route between Karsk and Melin over the past week, the regional transport ministry said on \
Tuesday.

Three contractors were allegedly injured when a convoy was stopped near the Orlen bridge on \
Sunday, according to a statement from the logistics firm Brannock Haulage.

A group calling itself the Northern Shield claimed responsibility for the attacks in a post on \
a messaging channel, saying its fighters had "closed the road to foreign cargo".

Maj. Gen. Ilse Varga, who commands the regional security force, told reporters that about 40 \
trucks had been turned back since Friday and that patrols on the route would be doubled.

The ministry said fuel deliveries to Melin had fallen by 60 percent compared with the same \
week last year. Local traders reportedly raised the price of bread by a third.

A spokesperson for the Northern Shield denied that its members had fired on civilian vehicles.

No details were provided about the identity of the injured contractors. The ministry did not \
respond to a request for comment on Wednesday.
"""

IMPORTED_TITLE = "Port of Valdora shuts two berths after crane collapse"
IMPORTED_BODY = """\
This is a fictional article written for the Newsdesk demo: it was imported and no one has \
looked at its suggested claims yet.

VALDORA, March 5 (Newsdesk Wire) - Two berths at the Port of Valdora were closed on \
Wednesday after a container crane collapsed onto a cargo ship, the port authority said.

Four dock workers were taken to hospital, and one of them was reportedly in a serious \
condition, according to the regional health office.

The crane, built in 1998, had passed a safety inspection in January, port director Anika \
Strand told reporters. "We do not yet know what caused this," she said.

Will the port reopen before the harvest season? The authority said it would publish a \
timetable next week.

Shipping agents estimated that about 30 vessels would be diverted to Karsk.
"""


class Command(BaseCommand):
    help = "Create the demo users and a fictional article with claims in every status."

    def handle(self, *args, **options) -> None:
        if settings.SETTINGS_MODULE.endswith(".prod"):
            raise CommandError(
                "seed_demo creates users with a published password; "
                "it refuses to run with production settings."
            )
        with transaction.atomic():
            users = self._users()
            article = Article.objects.filter(outlet=OUTLET, title=TITLE).first()
            if article is None:
                article = self._article(users)
                self.stdout.write(f"Created the demo article #{article.pk} and its claims.")
            else:
                self.stdout.write(f"The demo article #{article.pk} is already there.")
            if not Article.objects.filter(outlet=OUTLET, title=IMPORTED_TITLE).exists():
                imported = article_import(
                    by=users["editor"],
                    title=IMPORTED_TITLE,
                    outlet=OUTLET,
                    byline="Staff reporter (fictional)",
                    body=IMPORTED_BODY,
                ).article
                self.stdout.write(f"Imported article #{imported.pk}: its suggestions are waiting.")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD})"))
        for username, full_name, group, _staff, superuser in DEMO_USERS:
            role = "superuser, uses the admin" if superuser else group[:-1]
            self.stdout.write(f"  {username:<10} {full_name:<15} {role}")
        base = settings.NEWSDESK_BASE_URL.rstrip("/")
        self.stdout.write(f"Newsdesk: {base}/   Admin: {base}/admin/")

    def _users(self) -> dict[str, object]:
        User = get_user_model()
        users = {}
        for username, full_name, group, staff, superuser in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = full_name.split(" ", 1)
            user.email = f"{username}@newsdesk.example"
            user.is_staff, user.is_superuser, user.is_active = staff, superuser, True
            user.set_password(DEMO_PASSWORD)
            user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))
            users[username] = User.objects.get(pk=user.pk)  # fresh permission cache
        return users

    def _article(self, users) -> Article:
        editor, rev1, rev2 = users["editor"], users["reviewer"], users["reviewer2"]
        article = Article.objects.create(
            title=TITLE,
            outlet=OUTLET,
            byline="Staff reporter (fictional)",
            language="en",
            body=BODY,
            created_by=editor,
        )

        def claim(quote: str, attributed_to: str, origin=ClaimOrigin.SUGGESTED):
            start = article.body.index(quote)
            return claim_create(
                article=article,
                start=start,
                end=start + len(quote),
                by=editor,
                attributed_to=attributed_to,
                origin=origin,
                via=Via.COMMAND,
            )

        def source(c, by, stance, url, publisher, title, excerpt=""):
            source_add(
                claim=c,
                by=by,
                url=url,
                stance=stance,
                publisher=publisher,
                title=title,
                excerpt=excerpt,
                via=Via.COMMAND,
            )

        def move(c, to, by, note="", rationale=None):
            c.refresh_from_db()
            return claim_transition(
                claim=c,
                to=to,
                by=by,
                expected_version=c.version,
                note=note,
                rationale=rationale,
                via=Via.COMMAND,
            )

        convoys = claim(
            "Five aid convoys came under attack on the northern supply route between Karsk "
            "and Melin over the past week",
            "Regional transport ministry",
        )
        injured = claim(
            "Three contractors were allegedly injured when a convoy was stopped near the Orlen "
            "bridge on Sunday",
            "Brannock Haulage",
        )
        responsibility = claim(
            "A group calling itself the Northern Shield claimed responsibility for the attacks",
            "Northern Shield",
        )
        trucks = claim("about 40 trucks had been turned back since Friday", "Maj. Gen. Ilse Varga")
        fuel = claim(
            "fuel deliveries to Melin had fallen by 60 percent compared with the same week "
            "last year",
            "Regional transport ministry",
        )
        bread = claim(
            "Local traders reportedly raised the price of bread by a third", "", ClaimOrigin.MANUAL
        )
        claim(
            "denied that its members had fired on civilian vehicles",
            "Northern Shield spokesperson",
        )

        claims_bulk_assign(
            claims=[convoys, injured, responsibility, bread],
            assignee=rev1,
            by=editor,
            via=Via.COMMAND,
        )
        claim_assign(claim=trucks, assignee=rev2, by=editor, via=Via.COMMAND)

        # Confirmed: two independent supporting sources, confirmed by a second reviewer.
        source(
            convoys,
            rev1,
            Stance.SUPPORTS,
            "https://transport.valdora.example/press/0303",
            "Valdora transport ministry",
            "Statement on attacks on the northern route",
            "Five convoys operating on the Karsk-Melin route were attacked between "
            "24 February and 2 March.",
        )
        source(
            convoys,
            rev1,
            Stance.SUPPORTS,
            "https://relief-monitor.example.org/valdora/week9",
            "Relief Access Monitor",
            "Weekly access incidents, week 9",
            "Five incidents involving humanitarian convoys were recorded on the route.",
        )
        move(convoys, ClaimStatus.SOURCED, rev1)
        move(
            convoys,
            ClaimStatus.CONFIRMED,
            rev2,
            rationale="The ministry's statement and an independent incident monitor both "
            "record five attacks on convoys on this route in the period.",
        )

        # Sourced: one supporting source, waiting for a second.
        source(
            injured,
            rev1,
            Stance.SUPPORTS,
            "https://brannock-haulage.example.com/news/orlen",
            "",
            "Statement on the Orlen bridge incident",
            "Three of our contract drivers received treatment for minor injuries.",
        )
        source(
            injured,
            rev1,
            Stance.CONTEXT,
            "https://maps.example.net/orlen-bridge",
            "Example Maps",
            "Orlen bridge crossing",
        )
        move(
            injured,
            ClaimStatus.SOURCED,
            rev1,
            rationale="The firm's own statement confirms three injured drivers; no "
            "independent source yet.",
        )

        # Disputed: the channel post was deleted and the group's own channel denies it.
        source(
            responsibility,
            rev1,
            Stance.CONTRADICTS,
            "https://archive.example.org/northern-shield-channel/2231",
            "Web archive",
            "Archived copy of the channel post",
            "The archived post mentions the road closure but claims no attack.",
        )
        source(
            responsibility,
            rev2,
            Stance.CONTEXT,
            "https://conflict-observatory.example.org/actors/northern-shield",
            "Conflict Observatory",
            "Profile: Northern Shield",
        )
        move(
            responsibility,
            ClaimStatus.DISPUTED,
            rev1,
            note="The archived post does not claim the attacks, only the road closure.",
            rationale="No evidence the group claimed the attacks themselves.",
        )

        # Reopened: marked sourced on a weak source, then sent back for more work.
        source(
            bread,
            rev1,
            Stance.SUPPORTS,
            "https://social.example.com/@melin_baker/1187",
            "",
            "Post by a Melin baker",
        )
        move(bread, ClaimStatus.SOURCED, rev1)
        move(
            bread,
            ClaimStatus.UNVERIFIED,
            rev2,
            note="A single social media post is not enough for a price claim; "
            "look for market price data.",
        )

        # Unverified with context only.
        source(
            fuel,
            rev2,
            Stance.CONTEXT,
            "https://energy-stats.valdora.example/fuel/2025",
            "Valdora energy statistics office",
            "Fuel deliveries by district, last year",
        )
        return article
