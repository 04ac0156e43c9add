"""`motcua search-eval PATH.jsonl [--limit 5]`: hit@1, hit@3 and hit@5 of procedure search over a file
of questions (`{"query": ..., "acceptable": [codes]}` per line), with the misses for diagnosis."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.catalog.models import Procedure
from motcua.catalog.search import search_procedures
from motcua.catalog.search.evaluation import Question, evaluate


class Command(BaseCommand):
    help = "Đo chất lượng tra cứu thủ tục: hit@1, hit@3, hit@5 trên một tệp câu hỏi JSONL."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--limit", type=int, default=5, help="results asked per question (at least 5)")

    def handle(self, *args: Any, path: Path, limit: int, **options: Any) -> None:
        if not path.is_file():
            raise CommandError(f"Không có tệp {path}.")
        try:
            questions = [
                Question(row["query"], frozenset(row["acceptable"]))
                for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip() and (row := json.loads(line))
            ]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise CommandError(f"Tệp {path} không đúng dạng JSONL câu hỏi: {exc}") from exc
        report = evaluate(questions, lambda q: [h.code for h in search_procedures(q, limit=max(limit, 5))])
        shown = {code for miss in report.misses for code in miss.top}
        names = dict(Procedure.objects.filter(code__in=shown).values_list("code", "name"))
        self.stdout.write(f"questions: {report.total}")
        for k, rate in report.rates.items():
            self.stdout.write(f"hit@{k}: {rate:.3f}")
        for miss in report.misses:
            self.stdout.write(f"\nMISS {miss.query}  (acceptable: {', '.join(sorted(miss.acceptable))})")
            for rank, code in enumerate(miss.top[:3], 1):
                self.stdout.write(f"  {rank}. {code} {names.get(code, '')}")
