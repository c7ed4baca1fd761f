"""The analyst review (`jkn_analysis.recommendations.review`): decisions, added
recommendations, commentary, draft/final status, the review file's problems (with line numbers,
in id and en) and the template writer. Triggered rules are built directly from the data types.
"""

from __future__ import annotations

import re
import string
import textwrap
from pathlib import Path

import pytest
from markupsafe import Markup

from jkn_analysis.inputs.loading import period_files
from jkn_analysis.inputs.validation import MESSAGES, DataIssue
from jkn_analysis.recommendations.commentary import render_markdown
from jkn_analysis.recommendations.decisions import (
    DECISIONS,
    REVIEW_MESSAGES,
    Review,
    RuleDecision,
    review_path,
)
from jkn_analysis.recommendations.evidence import Evidence, Recommendation, TriggeredRule
from jkn_analysis.recommendations.review import (
    apply_review,
    format_review_status,
    review_period,
)
from jkn_analysis.recommendations.review_reading import load_review
from jkn_analysis.recommendations.review_template import write_review_template

QUARTER = "2024Q1"
FILE = f"{QUARTER}/review.yaml"


def rule(rule_id: str, section: str = "finance") -> TriggeredRule:
    return TriggeredRule(
        rule_id=rule_id,
        section=section,
        title={"id": f"Judul {rule_id}", "en": f"Title {rule_id}"},
        text={"id": f"Teks {rule_id}.", "en": f"Text {rule_id}."},
        evidence={
            "id": (
                Evidence(
                    "claim_ratio", {}, "Rasio klaim 112,2%, di atas titik impas 100%", "PP 53/2018"
                ),
            ),
            "en": (
                Evidence(
                    "claim_ratio", {}, "Claim ratio 112.2%, above break-even at 100%", "GR 53/2018"
                ),
            ),
        },
        anchor={"code": "claim_ratio"},
    )


TRIGGERED = [
    rule("claim_ratio_above_100"),
    rule("fktp_gatekeeper", "facilities"),
    rule("specialist_supply_and_kris", "facilities"),
]


def write_review(data_dir: Path, text: str, quarter: str = QUARTER) -> Path:
    path = review_path(data_dir, quarter)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def load(data_dir: Path, text: str) -> tuple[Review, list[DataIssue]]:
    write_review(data_dir, text)
    return load_review(data_dir, QUARTER)


def only(issues: list[DataIssue], problem: str) -> DataIssue:
    found = [issue for issue in issues if issue.problem == problem]
    assert len(found) == 1, issues
    return found[0]


class TestLoadReview:
    def test_missing_file_is_an_empty_review_without_issues(self, tmp_path):
        review, issues = load_review(tmp_path, QUARTER)
        assert issues == []
        assert review.decisions == {} and review.added == () and review.commentary == {}
        assert not review.exists

    def test_empty_file_is_an_empty_review(self, tmp_path):
        review, issues = load(tmp_path, "# nothing yet\n")
        assert issues == [] and review.exists and review.decisions == {}

    def test_path_is_next_to_the_data(self, tmp_path):
        assert review_path(tmp_path, QUARTER) == tmp_path / QUARTER / "review.yaml"
        with pytest.raises(ValueError):
            review_path(tmp_path, "2024Q5")

    def test_review_file_is_not_a_data_file(self, tmp_path):
        write_review(tmp_path, "recommendations: {}\n")
        (tmp_path / QUARTER / "figures.csv").write_text("period,code,value,unit\n")
        assert [path.name for path in period_files(tmp_path / QUARTER)] == ["figures.csv"]

    def test_every_decision_kind_is_read(self, tmp_path):
        review, issues = load(
            tmp_path,
            """
            recommendations:
              claim_ratio_above_100: {decision: confirm, note: "Dibahas 12 Mei"}
              fktp_gatekeeper:
                decision: edit
                title: {id: "Judul baru", en: "New title"}
                text: {id: "Teks baru.", en: "New text."}
              specialist_supply_and_kris: {decision: drop, reason: "Sudah ditangani"}
              other_rule: undecided
            """,
        )
        assert issues == []
        decisions = review.decisions
        assert {key: value.decision for key, value in decisions.items()} == {
            "claim_ratio_above_100": "confirm",
            "fktp_gatekeeper": "edit",
            "specialist_supply_and_kris": "drop",
            "other_rule": "undecided",
        }
        assert decisions["claim_ratio_above_100"].note == "Dibahas 12 Mei"
        assert decisions["fktp_gatekeeper"].title == {"id": "Judul baru", "en": "New title"}
        assert decisions["specialist_supply_and_kris"].reason == "Sudah ditangani"
        assert decisions["fktp_gatekeeper"].line == 3

    def test_python_tags_are_refused(self, tmp_path):
        _, issues = load(tmp_path, "recommendations: !!python/object/apply:os.system [ls]\n")
        assert only(issues, "review.syntax").row == 1


class TestReviewProblems:
    """Each problem is an error (or a warning) with its line, described in id and en."""

    @pytest.mark.parametrize(
        ("text", "problem", "line"),
        [
            (
                """
                recommendations:
                  claim_ratio_above_100:
                    decision: drop
                """,
                "review.drop_without_reason",
                2,
            ),
            (
                """
                recommendations:
                  claim_ratio_above_100:
                    decision: drop
                    reason: "   "
                """,
                "review.drop_without_reason",
                4,
            ),
            (
                """
                recommendations:
                  fktp_gatekeeper:
                    decision: edit
                    title: {id: "Judul baru"}
                """,
                "review.missing_language",
                4,
            ),
            (
                """
                recommendations:
                  fktp_gatekeeper: {decision: edit, note: "nothing changed"}
                """,
                "review.edit_without_change",
                2,
            ),
            (
                """
                recommendations:
                  fktp_gatekeeper:
                    decision: confirm
                    text: {id: "a", en: "b"}
                """,
                "review.field_not_allowed",
                4,
            ),
            (
                """
                recommendations:
                  fktp_gatekeeper:
                    decison: confirm
                """,
                "review.unknown_key",
                3,
            ),
            (
                """
                recommendations:
                  fktp_gatekeeper: {decision: approve}
                """,
                "review.unknown_decision",
                2,
            ),
            (
                """
                recommendations:
                  fktp_gatekeeper: {note: "no decision"}
                """,
                "review.missing_decision",
                2,
            ),
            (
                """
                recommendations:
                  fktp_gatekeeper: confirm
                  claim_ratio_above_100: confirm
                  fktp_gatekeeper: {decision: drop, reason: "x"}
                """,
                "review.duplicate_key",
                4,
            ),
            (
                """
                recomendations:
                  fktp_gatekeeper: confirm
                """,
                "review.unknown_key",
                1,
            ),
            (
                """
                commentary:
                  participation: {id: "ok"}

                  finanse: {id: "typo"}
                """,
                "review.unknown_section",
                4,
            ),
            (
                """
                commentary:
                  finance: {id: "a", fr: "b"}
                """,
                "review.unknown_language",
                2,
            ),
            (
                """
                commentary:
                  finance: "which language?"
                """,
                "review.wrong_type",
                2,
            ),
            (
                """
                added:
                  - id: followup
                    section: budget
                    title: {id: "a", en: "b"}
                    text: {id: "a", en: "b"}
                """,
                "review.unknown_section",
                3,
            ),
            (
                """
                added:
                  - id: followup
                    section: finance
                    title: {id: "a", en: "b"}
                """,
                "review.added_missing",
                2,
            ),
            (
                """
                added:
                  - {id: followup, section: finance, title: {id: a, en: b}, text: {id: a, en: b}}
                  - {id: followup, section: finance, title: {id: c, en: d}, text: {id: c, en: d}}
                """,
                "review.duplicate_id",
                3,
            ),
            (
                """
                recommendations:
                  fktp_gatekeeper: confirm
                added:
                  - id: fktp_gatekeeper
                    section: finance
                    title: {id: a, en: b}
                    text: {id: a, en: b}
                """,
                "review.duplicate_id",
                4,
            ),
            (
                """
                added:
                  - id: "follow up"
                    section: finance
                    title: {id: a, en: b}
                    text: {id: a, en: b}
                """,
                "review.bad_id",
                2,
            ),
            (
                """
                recommendations:
                  fktp_gatekeeper: {decision: confirm
                  claim_ratio_above_100: confirm
                """,
                "review.syntax",
                3,
            ),
            ("- just\n- a list\n", "review.not_mapping", 1),
        ],
    )
    def test_error_with_line_in_both_languages(self, tmp_path, text, problem, line):
        review, issues = load(tmp_path, text)
        issue = only(issues, problem)
        assert issue.severity == "error"
        assert (issue.file, issue.row, issue.period) == (FILE, line, QUARTER)
        indonesian, english = issue.describe("id"), issue.describe("en")
        assert indonesian.startswith(f"{FILE}, baris {line}: ")
        assert english.startswith(f"{FILE}, row {line}: ")
        assert indonesian != english
        assert review.has_errors
        # A review with an error keeps the report a draft, even with every rule decided.
        decided = Review(
            decisions={r.rule_id: _decision(r.rule_id, "confirm") for r in TRIGGERED},
            issues=review.issues,
        )
        assert apply_review(TRIGGERED, decided, "id").status == "draft"

    def test_messages_name_the_problem_in_each_language(self, tmp_path):
        _, issues = load(
            tmp_path,
            """
            recommendations:
              specialist_supply_and_kris: {decision: drop}
              fktp_gatekeeper: {decision: edit, text: {id: "Teks baru"}}
            """,
        )
        drop = only(issues, "review.drop_without_reason")
        assert drop.describe("id") == (
            f"{FILE}, baris 2: rekomendasi 'specialist_supply_and_kris' dihapus (drop) tanpa "
            'alasan; isi reason: "..." agar penghapusan tercatat di lampiran'
        )
        assert drop.describe("en") == (
            f"{FILE}, row 2: recommendation 'specialist_supply_and_kris' is dropped without a "
            'reason; add reason: "..." so that the appendix records why'
        )
        edit = only(issues, "review.missing_language")
        assert edit.describe("id") == (
            f"{FILE}, baris 3: text rekomendasi 'fktp_gatekeeper' harus diisi dalam kedua "
            "bahasa (id dan en); kosong atau tidak ada: en"
        )
        assert edit.describe("en") == (
            f"{FILE}, baris 3: the text of recommendation 'fktp_gatekeeper' must be given in "
            "both languages (id and en); empty or missing: en"
        ).replace("baris", "row")

    def test_close_matches_are_suggested(self, tmp_path):
        _, issues = load(
            tmp_path,
            """
            recommendations:
              fktp_gatekeeper: confrim
            commentary:
              participaton: {id: "x"}
            """,
        )
        assert "did you mean 'confirm'?" in only(issues, "review.unknown_decision").describe("en")
        assert "mungkin maksudnya 'participation'" in only(
            issues, "review.unknown_section"
        ).describe("id")

    def test_unreadable_text_is_reported(self, tmp_path):
        path = review_path(tmp_path, QUARTER)
        path.parent.mkdir(parents=True)
        path.write_bytes("recommendations: {a: confirm}  # é".encode("latin-1"))
        _, issues = load_review(tmp_path, QUARTER)
        assert only(issues, "review.not_utf8").describe("en").endswith("save it again as UTF-8")

    def test_decision_for_a_rule_that_did_not_fire_is_a_warning(self, tmp_path):
        # fraud_prevention is a rule of the shipped rules.yaml; it is not among TRIGGERED.
        write_review(
            tmp_path,
            """
            recommendations:
              claim_ratio_above_100: confirm
              fktp_gatekeeper: confirm
              specialist_supply_and_kris: {decision: drop, reason: "Sudah ditangani"}
              fraud_prevention: confirm
            """,
        )
        outcome = review_period(tmp_path, QUARTER, TRIGGERED, "id")
        issue = only(outcome.issues, "review.not_triggered")
        assert (issue.severity, issue.row) == ("warning", 5)
        assert "fraud_prevention" in issue.describe("id")
        assert "did not fire" in issue.describe("en")
        assert outcome.errors == [] and outcome.status == "final"

    def test_unknown_rule_id_is_an_error_with_the_closest_id(self, tmp_path):
        write_review(
            tmp_path,
            """
            recommendations:
              compliance_enforcment: confirm
              no_such_thing_at_all: confirm
            """,
        )
        outcome = review_period(tmp_path, QUARTER, TRIGGERED, "id")
        misspelt, unknown = [i for i in outcome.issues if i.problem == "review.unknown_rule"]
        assert (misspelt.severity, misspelt.row) == ("error", 2)
        assert misspelt.describe("id").endswith(
            "compliance_enforcment: maksud Anda compliance_enforcement? (aturan "
            "'compliance_enforcment' tidak dikenal; keputusan ini tidak diterapkan)"
        )
        assert "did you mean compliance_enforcement?" in misspelt.describe("en")
        assert unknown.describe("en").endswith(
            "rule 'no_such_thing_at_all' is not known: no recommendation has this id in "
            "rules.yaml; the decision is not applied"
        )
        # "did not fire" is said only of rules that exist.
        assert not [i for i in outcome.issues if i.problem == "review.not_triggered"]
        assert outcome.status == "draft"

    def test_every_message_has_both_languages_with_the_same_placeholders(self):
        def fields(text: str) -> set[str]:
            return {name for _, name, _, _ in string.Formatter().parse(text) if name}

        for key, texts in REVIEW_MESSAGES.items():
            assert set(texts) == {"id", "en"}, key
            assert fields(texts["id"]) == fields(texts["en"]), key
            assert MESSAGES[key] == texts  # registered for DataIssue.describe


def _decision(rule_id: str, kind: str):
    if kind == "drop":
        return RuleDecision(rule_id, "drop", reason="Tidak relevan")
    if kind == "edit":
        return RuleDecision(
            rule_id,
            "edit",
            title={"id": "Judul analis", "en": "Analyst title"},
            text={"id": "Teks analis.", "en": "Analyst text."},
        )
    return RuleDecision(rule_id, kind)


class TestApplyReview:
    def test_without_review_every_triggered_rule_is_shown_undecided(self):
        outcome = apply_review(TRIGGERED, Review(), "id")
        assert [item.decision for item in outcome.recommendations] == ["undecided"] * 3
        assert outcome.undecided == [r.rule_id for r in TRIGGERED]
        assert outcome.status == "draft"
        first = outcome.recommendations[0]
        assert first.title == "Judul claim_ratio_above_100"
        assert first.evidence[0].text == "Rasio klaim 112,2%, di atas titik impas 100%"

    def test_no_triggered_rule_and_no_review_is_final(self, tmp_path):
        outcome = review_period(tmp_path, QUARTER, [], "en")
        assert outcome.status == "final" and outcome.recommendations == []

    def test_confirm_shows_the_rule_as_written(self):
        review = Review(decisions={"fktp_gatekeeper": _decision("fktp_gatekeeper", "confirm")})
        item = apply_review(TRIGGERED, review, "en").recommendations[1]
        assert item == Recommendation(
            rule_id="fktp_gatekeeper",
            section="facilities",
            title="Title fktp_gatekeeper",
            text="Text fktp_gatekeeper.",
            evidence=TRIGGERED[1].evidence["en"],
            decision="confirm",
        )

    @pytest.mark.parametrize(
        ("language", "title", "text"),
        [("id", "Judul analis", "Teks analis."), ("en", "Analyst title", "Analyst text.")],
    )
    def test_edit_replaces_title_and_text_in_the_report_language(self, language, title, text):
        review = Review(decisions={"fktp_gatekeeper": _decision("fktp_gatekeeper", "edit")})
        outcome = apply_review(TRIGGERED, review, language)
        item = outcome.recommendations[1]
        assert (item.title, item.text, item.decision) == (title, text, "edit")
        assert item.evidence == TRIGGERED[1].evidence[language]
        assert "fktp_gatekeeper" not in outcome.undecided

    def test_edit_of_the_title_only_keeps_the_rule_text(self, tmp_path):
        write_review(
            tmp_path,
            """
            recommendations:
              fktp_gatekeeper:
                decision: edit
                title: {id: "Judul baru", en: "New title"}
                note: "judul dipersingkat"
            """,
        )
        item = review_period(tmp_path, QUARTER, TRIGGERED, "id").recommendations[1]
        assert (item.title, item.text) == ("Judul baru", "Teks fktp_gatekeeper.")
        assert item.reason == "judul dipersingkat"

    def test_drop_leaves_the_report_and_keeps_its_reason(self):
        review = Review(
            decisions={
                "specialist_supply_and_kris": _decision("specialist_supply_and_kris", "drop")
            }
        )
        outcome = apply_review(TRIGGERED, review, "id")
        assert "specialist_supply_and_kris" not in [r.rule_id for r in outcome.recommendations]
        assert [(r.rule_id, r.decision, r.reason) for r in outcome.dropped] == [
            ("specialist_supply_and_kris", "drop", "Tidak relevan")
        ]

    def test_explicit_undecided_counts_as_undecided(self, tmp_path):
        write_review(tmp_path, "recommendations:\n  fktp_gatekeeper: undecided\n")
        outcome = review_period(tmp_path, QUARTER, TRIGGERED, "id")
        assert outcome.undecided == [r.rule_id for r in TRIGGERED]
        assert outcome.issues == []

    def test_added_recommendations_follow_the_triggered_ones(self, tmp_path):
        write_review(
            tmp_path,
            """
            added:
              - id: analyst_followup_1
                section: finance
                title: {id: "Tindak lanjut", en: "Follow-up"}
                text: {id: "Pantau iuran PBPU.", en: "Monitor PBPU contributions."}
                note: "usulan rapat pleno"
            """,
        )
        outcome = review_period(tmp_path, QUARTER, TRIGGERED, "en")
        assert [r.rule_id for r in outcome.recommendations] == [
            *[r.rule_id for r in TRIGGERED],
            "analyst_followup_1",
        ]
        added = outcome.recommendations[-1]
        assert (added.section, added.title, added.text, added.decision, added.evidence) == (
            "finance",
            "Follow-up",
            "Monitor PBPU contributions.",
            "added",
            (),
        )
        assert added.reason == "usulan rapat pleno"
        assert [r.rule_id for r in outcome.section("finance")] == [
            "claim_ratio_above_100",
            "analyst_followup_1",
        ]
        assert outcome.status == "draft"  # an added one does not decide the triggered ones

    def test_added_id_equal_to_a_triggered_rule_is_an_error(self, tmp_path):
        write_review(
            tmp_path,
            """
            added:
              - {id: fktp_gatekeeper, section: finance, title: {id: a, en: b}, text: {id: a, en: b}}
            """,
        )
        outcome = review_period(tmp_path, QUARTER, TRIGGERED, "id")
        issue = only(outcome.issues, "review.duplicate_id")
        assert issue.row == 2
        assert issue.describe("en").endswith(
            "id 'fktp_gatekeeper' is already used by recommendation 'fktp_gatekeeper'; each "
            "recommendation needs its own id"
        )
        assert [r.decision for r in outcome.recommendations] == ["undecided"] * 3

    @pytest.mark.parametrize("last", range(len(TRIGGERED)))
    @pytest.mark.parametrize("kind", ["confirm", "edit", "drop"])
    def test_status_turns_final_exactly_when_the_last_rule_is_decided(self, last, kind):
        order = [r.rule_id for i, r in enumerate(TRIGGERED) if i != last]
        order.append(TRIGGERED[last].rule_id)
        kinds = ["confirm", "drop", "edit"]
        decisions = {}
        for step, rule_id in enumerate(order):
            outcome = apply_review(TRIGGERED, Review(decisions=dict(decisions)), "id")
            assert outcome.status == "draft"
            assert outcome.undecided == [r.rule_id for r in TRIGGERED if r.rule_id not in decisions]
            decisions[rule_id] = _decision(rule_id, kind if step == len(order) - 1 else kinds[step])
        outcome = apply_review(TRIGGERED, Review(decisions=decisions), "id")
        assert outcome.status == "final" and outcome.undecided == []

    def test_status_from_the_file_draft_then_final(self, tmp_path):
        path = write_review(
            tmp_path,
            """
            recommendations:
              claim_ratio_above_100: confirm
              fktp_gatekeeper: {decision: edit, title: {id: "J", en: "T"}}
              specialist_supply_and_kris: undecided
            """,
        )
        assert review_period(tmp_path, QUARTER, TRIGGERED, "id").status == "draft"
        path.write_text(
            path.read_text().replace("undecided", '{decision: drop, reason: "tidak relevan"}')
        )
        assert review_period(tmp_path, QUARTER, TRIGGERED, "id").status == "final"

    def test_language_is_checked(self):
        with pytest.raises(ValueError):
            apply_review(TRIGGERED, Review(), "fr")


XSS = """\
<script>alert(1)</script>

<img src=x onerror=alert(1)>

![t](http://example.org/x.png)

[a](javascript:alert(1))
"""


class TestCommentary:
    def _assert_inert(self, html: str) -> None:
        assert "<script" not in html.lower()
        assert "<img" not in html.lower()
        assert not re.search(r"<[a-z][^>]*\sonerror\s*=", html, re.IGNORECASE)
        assert not re.search(r"href\s*=\s*[\"']?\s*javascript:", html, re.IGNORECASE)
        assert "http://example.org/x.png" not in html  # nothing to fetch

    def test_html_images_and_scripts_come_out_as_text(self):
        html = render_markdown(XSS)
        assert isinstance(html, Markup)
        self._assert_inert(html)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
        assert "<p>t</p>" in html  # the image's alt text only
        assert "<p>a</p>" in html  # the link's text, without the link

    def test_commentary_from_the_file_is_rendered_safely(self, tmp_path):
        write_review(
            tmp_path,
            "commentary:\n  participation:\n    id: |\n"
            + textwrap.indent(XSS, "      ")
            + '    en: "In **English**."\n',
        )
        outcome = review_period(tmp_path, QUARTER, [], "id")
        assert outcome.issues == []
        self._assert_inert(outcome.commentary["participation"])
        assert "&lt;script&gt;" in outcome.commentary["participation"]
        english = review_period(tmp_path, QUARTER, [], "en").commentary
        assert english == {"participation": Markup("<p>In <strong>English</strong>.</p>\n")}

    @pytest.mark.parametrize(
        ("markdown", "html"),
        [
            ("[DJSN](https://djsn.go.id)", '<p><a href="https://djsn.go.id">DJSN</a></p>\n'),
            ('[x](http://a.org "judul")', '<p><a href="http://a.org">x</a></p>\n'),
            (
                "<mailto:a@djsn.go.id>",
                '<p><a href="mailto:a@djsn.go.id">mailto:a@djsn.go.id</a></p>\n',
            ),
            ("[rel](/laporan)", "<p>rel</p>\n"),
            ("[v](vbscript:msgbox)", "<p>v</p>\n"),
            ("[d](data:text/html;base64,PHNjcmlwdD4=)", "<p>d</p>\n"),
            ("[j](JaVaScRiPt:alert(1))", "<p>j</p>\n"),
            ("[e](&#106;avascript:alert(1))", "<p>e</p>\n"),
            ("[r][x]\n\n[x]: javascript:alert(2)", "<p>r</p>\n"),
            (
                "[![img](http://x.org/y.png)](https://x.org)",
                '<p><a href="https://x.org">img</a></p>\n',
            ),
            ("# Judul", '<p class="commentary-heading"><strong>Judul</strong></p>\n'),
            ("Satu *dua* **tiga**", "<p>Satu <em>dua</em> <strong>tiga</strong></p>\n"),
        ],
    )
    def test_links_images_and_headings(self, markdown, html):
        assert render_markdown(markdown) == Markup(html)

    def test_empty_commentary_is_left_out(self, tmp_path):
        write_review(tmp_path, 'commentary:\n  finance: {id: "", en: "  "}\n  summary:\n')
        outcome = review_period(tmp_path, QUARTER, [], "id")
        assert outcome.commentary == {} and outcome.issues == []


class TestTemplate:
    def test_round_trip(self, tmp_path):
        (tmp_path / QUARTER).mkdir()
        path = write_review_template(tmp_path, QUARTER, TRIGGERED)
        assert path == review_path(tmp_path, QUARTER)
        text = path.read_text("utf-8")
        assert "# III. Kesehatan Keuangan DJS — Judul claim_ratio_above_100" in text
        assert "#   - Rasio klaim 112,2%, di atas titik impas 100%\n  #     (PP 53/2018)\n" in text
        review, issues = load_review(tmp_path, QUARTER)
        assert issues == []
        assert {k: d.decision for k, d in review.decisions.items()} == {
            r.rule_id: "undecided" for r in TRIGGERED
        }
        outcome = apply_review(TRIGGERED, review, "id")
        assert outcome.status == "draft" and outcome.undecided == [r.rule_id for r in TRIGGERED]
        assert outcome.commentary == {}
        path.write_text(text.replace("decision: undecided", "decision: confirm"), "utf-8")
        outcome = review_period(tmp_path, QUARTER, TRIGGERED, "id")
        assert outcome.status == "final" and outcome.issues == []

    def test_english_template_and_awkward_ids(self, tmp_path):
        (tmp_path / QUARTER).mkdir()
        triggered = [rule("yes"), rule("2024-rule")]
        path = write_review_template(tmp_path, QUARTER, triggered, language="en")
        assert "# III. Financial Health of the DJS — Title yes" in path.read_text("utf-8")
        review, issues = load_review(tmp_path, QUARTER)
        assert issues == [] and list(review.decisions) == ["yes", "2024-rule"]

    def test_no_triggered_rule(self, tmp_path):
        (tmp_path / QUARTER).mkdir()
        write_review_template(tmp_path, QUARTER, [])
        outcome = review_period(tmp_path, QUARTER, [], "id")
        assert outcome.issues == [] and outcome.status == "final"

    def test_never_overwrites(self, tmp_path):
        path = write_review(tmp_path, "recommendations:\n  a: confirm\n")
        with pytest.raises(FileExistsError):
            write_review_template(tmp_path, QUARTER, TRIGGERED)
        assert path.read_text() == "recommendations:\n  a: confirm\n"

    def test_needs_the_period_folder(self, tmp_path):
        with pytest.raises(FileNotFoundError):
            write_review_template(tmp_path, QUARTER, TRIGGERED)


class TestStatusText:
    def test_draft_lists_the_undecided_with_their_lines(self, tmp_path):
        write_review(
            tmp_path,
            "recommendations:\n  claim_ratio_above_100: confirm\n  fktp_gatekeeper: undecided\n",
        )
        review, _ = load_review(tmp_path, QUARTER)
        outcome = apply_review(TRIGGERED, review, "id")
        assert format_review_status(outcome, QUARTER, "id", review) == (
            f"2024Q1: laporan masih DRAF; 2 rekomendasi belum diputuskan di {FILE}:\n"
            "  - fktp_gatekeeper: Judul fktp_gatekeeper (baris 3)\n"
            "  - specialist_supply_and_kris: Judul specialist_supply_and_kris"
            " (belum ada di berkas)\n"
        )
        english = apply_review(TRIGGERED, review, "en")
        assert format_review_status(english, QUARTER, "en", review).startswith(
            f"2024Q1: the report is a DRAFT; 2 recommendation(s) not decided in {FILE}:\n"
            "  - fktp_gatekeeper: Title fktp_gatekeeper (line 3)\n"
        )

    def test_final_and_draft_because_of_errors(self, tmp_path):
        assert format_review_status(apply_review([], Review(), "en"), QUARTER, "en") == (
            "2024Q1: every recommendation is decided; the report is final.\n"
        )
        write_review(tmp_path, "recommendations:\n  claim_ratio_above_100: {decision: drop}\n")
        outcome = review_period(tmp_path, QUARTER, TRIGGERED[:1], "id")
        assert outcome.status == "draft"
        write_review(tmp_path, "recommendations: {}\nextra: 1\n")
        outcome = review_period(tmp_path, QUARTER, [], "id")
        assert format_review_status(outcome, QUARTER, "id") == (
            f"2024Q1: laporan masih DRAF karena berkas {FILE} memuat kesalahan.\n"
        )

    def test_decisions_cover_the_documented_words(self):
        assert DECISIONS == ("confirm", "edit", "drop", "undecided")


class TestRemarksPerLanguage:
    """Notes and reasons in both languages: each edition shows its own; a single text is
    Indonesian, and is marked as such where the English edition quotes it."""

    def test_note_and_reason_per_language(self, tmp_path):
        write_review(
            tmp_path,
            """
            recommendations:
              fktp_gatekeeper:
                decision: confirm
                note: {id: "Dibahas 12 Mei", en: "Discussed on 12 May"}
              specialist_supply_and_kris:
                decision: drop
                reason: {id: "Sudah ditangani", en: "Already dealt with"}
            added:
              - id: analyst_followup_1
                section: finance
                title: {id: "Tindak lanjut", en: "Follow-up"}
                text: {id: "Pantau iuran.", en: "Monitor contributions."}
                note: {id: "usulan rapat pleno", en: "proposed at the plenary"}
            """,
        )
        for language, note, reason, added in (
            ("id", "Dibahas 12 Mei", "Sudah ditangani", "usulan rapat pleno"),
            ("en", "Discussed on 12 May", "Already dealt with", "proposed at the plenary"),
        ):
            outcome = review_period(tmp_path, QUARTER, TRIGGERED, language)
            assert outcome.issues == []
            shown = {item.rule_id: item for item in outcome.recommendations}
            assert (shown["fktp_gatekeeper"].reason, shown["fktp_gatekeeper"].reason_language) == (
                note,
                language,
            )
            assert (outcome.dropped[0].reason, outcome.dropped[0].reason_language) == (
                reason,
                language,
            )
            assert shown["analyst_followup_1"].reason == added

    def test_a_single_text_is_indonesian_in_both_editions(self, tmp_path):
        write_review(
            tmp_path, 'recommendations:\n  fktp_gatekeeper: {decision: confirm, note: "Dibahas"}\n'
        )
        item = review_period(tmp_path, QUARTER, TRIGGERED, "en").recommendations[1]
        assert (item.reason, item.reason_language) == ("Dibahas", "id")

    def test_a_note_per_language_needs_both(self, tmp_path):
        _, issues = load(
            tmp_path,
            """
            recommendations:
              fktp_gatekeeper: {decision: confirm, note: {id: "Dibahas"}}
            """,
        )
        assert only(issues, "review.missing_language").describe("en") == (
            "2024Q1/review.yaml, row 2: the note of recommendation 'fktp_gatekeeper' must be "
            "given in both languages (id and en); empty or missing: en"
        )

    def test_a_note_that_is_neither_text_nor_languages(self, tmp_path):
        _, issues = load(
            tmp_path, "recommendations:\n  fktp_gatekeeper: {decision: confirm, note: [1, 2]}\n"
        )
        assert only(issues, "review.wrong_type").describe("id") == (
            "2024Q1/review.yaml, baris 2: note rekomendasi 'fktp_gatekeeper' harus berupa teks, "
            'atau teks per bahasa {id: "...", en: "..."}; ditemukan [1, 2]'
        )

    def test_the_shipped_review_gives_every_note_in_both_languages(self):
        review, issues = load_review(Path(__file__).resolve().parents[1] / "data", QUARTER)
        assert issues == []
        notes = [decision.note for decision in review.decisions.values() if decision.note]
        assert notes and all(isinstance(note, dict) and note["en"] for note in notes)


# Broken review files reaching every place a message can name: nested language entries of
# edits, added recommendations (by id and by number), commentary, notes and reasons.
BROKEN_REVIEWS = (
    "recommendations:\n  fktp_gatekeeper: {decision: edit, title: {id: 1, en: [2]}}\n",
    "recommendations:\n  fktp_gatekeeper: {decision: edit, text: {id: x, fr: y}}\n",
    "recommendations:\n  fktp_gatekeeper: {decision: confirm, note: {id: 5, en: {a: b}}}\n",
    "recommendations:\n  fktp_gatekeeper: {decision: drop, reason: {id: '', en: x}}\n",
    "recommendations:\n  fktp_gatekeeper: {decision: drop, reason: [x]}\n",
    "recommendations:\n  fktp_gatekeeper: {decison: confirm}\n",
    "added:\n  - {id: a1, section: finance, title: {id: 3, en: t}, text: {id: x, en: y}}\n",
    "added:\n  - {section: financ, title: {id: t}, text: 5, note: [1]}\n",
    "added:\n  - {id: a b, section: finance, title: {id: t, en: t}, text: {id: x, en: y}}\n",
    "added:\n  - 7\n  - {id: a1, section: x, title: {id: t, en: t}, text: {id: x, en: 4}}\n",
    "commentary:\n  summary: {id: 7}\n  participaton: {id: x}\n  finance: [x]\n",
    "recommendations:\n  compliance_enforcment: confirm\n  zzz: {decision: confirm, note: 3}\n",
)
INTERNAL = re.compile(r"\w+Place\(|Localized\(|DataIssue\(|object at 0x|\{'|\('")


@pytest.mark.parametrize("text", BROKEN_REVIEWS)
def test_no_message_shows_an_internal_object(tmp_path, text):
    write_review(tmp_path, text)
    outcome = review_period(tmp_path, QUARTER, TRIGGERED, "id")
    assert outcome.issues
    for issue in outcome.issues:
        for language in ("id", "en"):
            message = issue.describe(language)
            assert not INTERNAL.search(message), message


def test_validate_and_review_name_the_rules_the_report_states(monkeypatch):
    """The command line takes the triggered rules from the period's one analysis, projection
    included: the 2024Q1 baseline's first year below 1,5 months is evidence of the actuarial rule
    in `validate` and `review` as in the report, and goes when the projection stays above it."""
    from jkn_analysis import cli
    from jkn_analysis.analysis import period
    from jkn_analysis.catalogue.periods import Quarter

    data = Path(__file__).resolve().parents[1] / "data"
    quarter = Quarter(2024, 1)

    def actuarial_evidence() -> set[str]:
        period.forget_analyses()
        try:
            rules = {rule.rule_id: rule for rule in cli._triggered_rules(data, quarter)}
        finally:
            period.forget_analyses()
        return {item.indicator for item in rules["actuarial_projection"].evidence["en"]}

    assert "projection_years_to_floor" in actuarial_evidence()
    monkeypatch.setattr(period, "first_year_below_floor", lambda projection: None)
    assert "projection_years_to_floor" not in actuarial_evidence()
