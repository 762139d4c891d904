from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from toitcommun.access import chain
from toitcommun.access.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Vérifie la chaîne d'empreintes du journal d'audit, du premier événement au dernier, "
        "et les déclencheurs qui en refusent la modification. Sort en erreur au premier maillon rompu. "
        "Voir docs/deploy.md."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--head", default="", metavar="EMPREINTE",
                            help="Empreinte du dernier événement notée lors d'une vérification précédente : "
                                 "elle doit toujours se trouver dans la chaîne (détecte un journal tronqué).")
        parser.add_argument("--lang", choices=["fr", "en"], default="fr", help="Langue des messages")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["lang"]):
            report = chain.verify(AuditEvent, expected_head=options["head"])
            problems = []
            if report.broken is not None:
                reasons = {
                    "altered": _("son contenu ne correspond plus à son empreinte : l'événement a été modifié"),
                    "link": _("il ne suit plus l'événement précédent : un événement a été supprimé, inséré "
                              "ou modifié juste avant lui"),
                    "unsealed": _("il n'a pas d'empreinte : il a été écrit hors du journal"),
                }
                problems.append(_("Maillon rompu à l'événement n° %(id)s du %(at)s : %(reason)s.") % {
                    "id": report.broken.event_id, "at": report.broken.at.isoformat(),
                    "reason": reasons[report.broken.reason],
                })
            if report.head_found is False:
                problems.append(_("L'empreinte %(head)s notée précédemment n'est plus dans la chaîne : "
                                  "le journal a été tronqué ou réécrit.") % {"head": options["head"]})
            missing = chain.guards_missing()
            if missing:
                problems.append(_("Déclencheurs de protection absents ou désactivés : %(names)s.")
                                % {"names": ", ".join(missing)})
            if problems:
                for problem in problems[:-1]:
                    self.stderr.write(problem)
                raise CommandError(problems[-1])
            self.stdout.write(ngettext(
                "Journal d'audit intact : %(count)s événement, dernière empreinte %(head)s.",
                "Journal d'audit intact : %(count)s événements, dernière empreinte %(head)s.",
                report.count,
            ) % {"count": report.count, "head": report.head})
