"""Demo statements: a published preliminary statement in English, a final report started from
its template with figures in the text, case examples and a Belarusian translation, and a draft
in Belarusian, so the public site and the coordinators' list show something after
`flask demo seed`. Also the mission's cover details, a generated logo and the signing key."""

from __future__ import annotations

import io
import re
from datetime import date

from PIL import Image, ImageDraw
from sqlalchemy import select

from observer.auth.service import find_user_by_email
from observer.catalog.queries import active_campaign, stages_for
from observer.extensions import db
from observer.models import Report, Statement, Status
from observer.statements import keys
from observer.statements.cases import add_case, copy_cases
from observer.statements.kinds import CHAPTERS, chapter_body
from observer.statements.mission import save_profile
from observer.statements.service import (
    SectionInput,
    StatementInput,
    create_statement,
    from_template,
    publish,
    start_translation,
)

DEMO_AUTHOR = "coordinator@demo.observer"


def seed_demo_statements() -> None:
    if db.session.execute(select(Statement.id).limit(1)).first() is not None:
        return
    author = find_user_by_email(DEMO_AUTHOR)
    campaign = active_campaign()
    if author is None or campaign is None:
        return
    keys.ensure_key()
    save_profile(
        {"en": "Vilnius", "be": "Вільня", "ru": "Вильнюс"},
        "elections2024@example.org",
        logo=("logo.png", _demo_logo()),
    )
    stages = {stage.code: stage for stage in stages_for(campaign)}
    pre_election = [stages[code] for code in ("commissions", "nomination", "registration")]

    english = create_statement(
        author,
        StatementInput(
            campaign_id=campaign.id,
            stage_ids=[stage.id for stage in pre_election],
            language="en",
            title="Preliminary statement on the formation of commissions and the nomination "
            "of candidates",
            period_start=date(2023, 11, 20),
            period_end=date(2024, 1, 30),
            key_findings=(
                "- Observers were barred from the meetings that formed the district and "
                "territorial commissions.\n"
                "- People active in past campaigns faced searches and questioning.\n"
                "- Nomination took place without real political competition."
            ),
            recommendations=(
                "- Open commission-forming meetings to observers and publish the reasons for "
                "every appointment.\n"
                "- End the persecution of nominees, activists and observers."
            ),
            sections=[
                SectionInput(
                    heading=stage.name_en,
                    body="Documented cases in this stage are summarised in the table below.",
                    stage_id=stage.id,
                )
                for stage in pre_election
            ],
        ),
    )
    db.session.flush()
    publish(english, author)

    create_statement(
        author,
        StatementInput(
            campaign_id=campaign.id,
            stage_ids=[stages["early_voting"].id, stages["election_day"].id],
            language="be",
            title="Папярэдняя заява аб датэрміновым галасаванні і дні выбараў",
            period_start=date(2024, 2, 20),
            period_end=date(2024, 2, 25),
            key_findings="- Зафіксаваны выпадкі арганізаванага датэрміновага галасавання.",
        ),
    )

    _final_report(author, campaign)


def _demo_logo() -> bytes:
    image = Image.new("RGB", (360, 160), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 8, 152, 152), fill=(29, 60, 110))
    draw.ellipse((40, 40, 120, 120), outline="white", width=10)
    for n, width in enumerate((180, 140, 160)):
        draw.rectangle((172, 36 + n * 36, 172 + width, 56 + n * 36), fill=(29, 60, 110))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


ANALYSIS = {
    "en": {
        "conditions": "The mission worked remotely, from open sources and voters' messages: "
        "independent observers could not work in polling stations without risk of prosecution. "
        "Verified cases came from every region.",
        "commissions": "Observers were barred from the meetings that formed the commissions, "
        "and nominees of the remaining opposition parties were hardly ever appointed.",
        "nomination": "Nomination took place without real political competition; initiative "
        "groups of independent candidates were refused registration on formal grounds.",
        "campaigning": "Campaigning was limited to events of pro-government organisations. "
        "In [[incidents.districts]] districts the mission documented pressure on voters.",
        "voting": "Early voting was used to organise the vote of students, soldiers and "
        "employees of state enterprises, who were told to report that they had voted.",
        "complaints": "Complaints were rejected without examination on the merits.",
    },
    "be": {
        "conditions": "Місія працавала дыстанцыйна, з адкрытымі крыніцамі і зваротамі "
        "выбаршчыкаў: незалежныя назіральнікі не маглі працаваць на ўчастках без рызыкі "
        "пераследу. Правераныя выпадкі паступалі з усіх рэгіёнаў.",
        "commissions": "Назіральнікаў не пускалі на пасяджэнні, дзе ўтвараліся камісіі, а "
        "вылучэнцаў апазіцыйных партый амаль не ўключалі ў іх склад.",
        "nomination": "Вылучэнне праходзіла без сапраўднай палітычнай канкурэнцыі; ініцыятыўным "
        "групам незалежных кандыдатаў адмаўлялі ў рэгістрацыі па фармальных падставах.",
        "campaigning": "Агітацыя звялася да мерапрыемстваў праўладных арганізацый. У "
        "[[incidents.districts]] раёнах місія задакументавала ціск на выбаршчыкаў.",
        "voting": "Датэрміновае галасаванне выкарыстоўвалася, каб арганізаваць галасаванне "
        "студэнтаў, вайскоўцаў і работнікаў дзяржаўных прадпрыемстваў, якім загадвалі "
        "паведамляць, што яны прагаласавалі.",
        "complaints": "Скаргі адхіляліся без разгляду па сутнасці.",
    },
}
FINDINGS = {
    "en": "- The elections did not meet international standards for free and democratic "
    "elections.\n- The mission documented [[incidents.total]] verified cases in "
    "[[incidents.districts]] districts.\n- Observers were kept away from every stage.",
    "be": "- Выбары не адпавядалі міжнародным стандартам свабодных і дэмакратычных выбараў.\n"
    "- Місія задакументавала [[incidents.total]] правераных выпадкаў у "
    "[[incidents.districts]] раёнах.\n- Назіральнікаў не дапускалі ні на адным этапе.",
}
RECOMMENDATIONS = {
    "en": "- Release political prisoners and restore their electoral rights.\n- Open every "
    "stage of the elections to independent observers.",
    "be": "- Вызваліць палітычных вязняў і аднавіць іх выбарчыя правы.\n- Адкрыць кожны этап "
    "выбараў для незалежных назіральнікаў.",
}
CASES = {
    "en": [
        "Students of a college were told to vote early and to send a photograph of their "
        "ballot to their group leader.",
        "A member of a precinct commission was dismissed after asking to see the voter lists.",
    ],
    "be": [
        "Студэнтам каледжа загадалі прагаласаваць датэрмінова і даслаць фота бюлетэня "
        "куратару групы.",
        "Члена ўчастковай камісіі вызвалілі ад абавязкаў пасля таго, як ён папрасіў паказаць "
        "спісы выбаршчыкаў.",
    ],
}
PROMPT = re.compile(r"\[\[write:[^\]]*\]\]")


def _write(statement: Statement, language: str) -> None:
    """The template's prompts replaced with the demo's analysis."""
    statement.key_findings = FINDINGS[language]
    statement.recommendations = RECOMMENDATIONS[language]
    for section, code in zip(statement.sections, ANALYSIS[language], strict=True):
        chapter = CHAPTERS[code]
        section.heading = chapter.heading[language]
        section.body = PROMPT.sub(ANALYSIS[language][code], chapter_body(chapter, language))
        if code == "voting":
            section.body += "\n\n[[cases]]"


def _final_report(author, campaign) -> None:
    final = from_template(author, campaign, "final", "en")
    _write(final, "en")
    picked = db.session.execute(
        select(Report)
        .where(Report.status == Status.VERIFIED, Report.campaign_id == campaign.id)
        .order_by(Report.id)
        .limit(2)
    ).scalars()
    for report, wording in zip(picked, CASES["en"], strict=False):
        add_case(final, report.reference, wording, False, False)
    db.session.flush()
    publish(final, author)
    translation = start_translation(final, author, "be")
    copy_cases(final, translation)
    _write(translation, "be")
    translation.title = "Выніковая справаздача"
    for case, wording in zip(translation.cases, CASES["be"], strict=False):
        case.wording = wording
    db.session.flush()
    publish(translation, author)
