"""Demo judgments: a registry of earlier recommendations to Belarus (OSCE/ODIHR, UN bodies) with
the 2024 campaign's follow-up ratings, and assessments of the standards, proposed by the demo
coordinator and agreed by the demo admin through the real four-eyes workflow (so their events
sit in the hash chain as in production). The recommendation texts are our own summaries of the
named documents, for trying Observer out, not quotations. Seeding twice changes nothing."""

from __future__ import annotations

from sqlalchemy import select

from observer.assessments.content import JudgmentContent
from observer.assessments.evidence import known_figure_keys
from observer.assessments.scales import ensure_default_scales
from observer.assessments.service import (
    AssessmentScope,
    agree_assessment,
    agree_follow_up,
    propose_assessment,
    rate_follow_up,
)
from observer.auth.service import find_user_by_email
from observer.catalog.queries import active_campaign
from observer.extensions import db
from observer.models import Assessment, Criterion, Recommendation, Report, Status

PROPOSER = "coordinator@demo.observer"
AGREER = "admin@demo.observer"

ODIHR_2019 = "OSCE/ODIHR Election Observation Mission Final Report, Parliamentary Elections 2019"
HRC_2018 = "UN Human Rights Committee, Concluding observations on Belarus (CCPR/C/BLR/CO/5)"
UPR_2020 = "UN Universal Periodic Review of Belarus, third cycle (A/HRC/46/5)"
SPECIAL_RAPPORTEUR = "UN Special Rapporteur on the situation of human rights in Belarus"

# (code, source, paragraph, year, addressee, criteria, text en, be, ru, rating, reasoning, agreed)
RECOMMENDATIONS = (
    ("ODIHR-2019-01", ODIHR_2019, "Priority 1", 2020, "Parliament", "COM-01 COM-03",
     "Revise the electoral law so that election commissions are formed with members nominated "
     "by all political parties and independent of the executive.",
     "Перагледзець выбарчае заканадаўства, каб выбарчыя камісіі фармаваліся з удзелам "
     "прадстаўнікоў усіх палітычных партый і не залежалі ад выканаўчай улады.",
     "Пересмотреть избирательное законодательство, чтобы избирательные комиссии формировались "
     "с участием представителей всех политических партий и не зависели от исполнительной власти.",
     "not_implemented", "Pro-government associations nominated 74.3% of district commission "
     "members in 2024; parties outside the ruling camp had no real access.", True),
    ("ODIHR-2019-02", ODIHR_2019, "Priority 2", 2020, "Central Election Commission", "COM-02",
     "Hold commission-forming meetings in public and give reasons for every appointment.",
     "Праводзіць пасяджэнні па фармаванні камісій публічна і абгрунтоўваць кожнае прызначэнне.",
     "Проводить заседания по формированию комиссий публично и обосновывать каждое назначение.",
     "not_implemented", "Meetings forming the 2024 territorial and district commissions were "
     "closed to independent observers.", True),
    ("ODIHR-2019-05", ODIHR_2019, "Recommendation 5", 2020, "Parliament", "NOM-01 REG-02",
     "Remove unreasonable restrictions on the right to stand and give candidates an effective "
     "remedy against refusal of registration.",
     "Адмяніць неабгрунтаваныя абмежаванні права балатавацца і даць кандыдатам дзейсны спосаб "
     "абскардзіць адмову ў рэгістрацыі.",
     "Отменить необоснованные ограничения права баллотироваться и дать кандидатам действенный "
     "способ обжаловать отказ в регистрации.",
     "not_implemented", "Opposition parties were dissolved before the campaign; no candidate "
     "from them could be nominated.", True),
    ("ODIHR-2019-09", ODIHR_2019, "Recommendation 9", 2020, "Central Election Commission",
     "EV-01 EV-02",
     "Introduce safeguards for early voting: secure storage of ballot boxes overnight and "
     "daily publication of early-voting turnout by polling station.",
     "Увесці гарантыі датэрміновага галасавання: надзейнае захоўванне скрыняў уначы і штодзённую "
     "публікацыю яўкі па ўчастках.",
     "Ввести гарантии досрочного голосования: надёжное хранение урн ночью и ежедневную "
     "публикацию явки по участкам.",
     "partially_implemented", "Turnout is published daily by region but not by polling "
     "station; storage rules are unchanged.", True),
    ("ODIHR-2019-12", ODIHR_2019, "Recommendation 12", 2020, "Central Election Commission",
     "CNT-01 CNT-03",
     "Count ballots one by one in full view of observers and publish results by polling "
     "station.",
     "Падлічваць бюлетэні па адным на вачах у назіральнікаў і публікаваць вынікі па ўчастках.",
     "Подсчитывать бюллетени по одному на глазах у наблюдателей и публиковать итоги по участкам.",
     "not_assessed", "", True),
    ("ODIHR-2019-15", ODIHR_2019, "Recommendation 15", 2020, "Parliament", "ED-04",
     "Allow citizen and international observers to observe every stage of the process, "
     "including the count and the tabulation.",
     "Дазволіць грамадзянскім і міжнародным назіральнікам назіраць за ўсімі этапамі, уключаючы "
     "падлік і падвядзенне вынікаў.",
     "Разрешить гражданским и международным наблюдателям наблюдать за всеми этапами, включая "
     "подсчёт и подведение итогов.",
     "not_implemented", "ODIHR was not invited to observe the 2024 elections.", True),
    ("HRC-2018-54", HRC_2018, "para. 54", 2018, "Government", "CAM-01 CAM-02",
     "Guarantee freedom of expression and peaceful assembly and stop prosecuting people for "
     "political speech.",
     "Гарантаваць свабоду выказвання і мірных сходаў і спыніць пераслед людзей за палітычныя "
     "выказванні.",
     "Гарантировать свободу выражения мнений и мирных собраний и прекратить преследование людей "
     "за политические высказывания.",
     "not_implemented", "Election-related prosecutions for online comments continued through "
     "the campaign.", True),
    ("HRC-2018-56", HRC_2018, "para. 56", 2018, "Government", "NOM-02",
     "Revise the law on public associations so that parties and associations can register and "
     "act freely.",
     "Перагледзець закон аб грамадскіх аб’яднаннях, каб партыі і аб’яднанні маглі свабодна "
     "рэгістравацца і дзейнічаць.",
     "Пересмотреть закон об общественных объединениях, чтобы партии и объединения могли свободно "
     "регистрироваться и действовать.",
     "not_implemented", "Only four parties remained registered after the 2023 re-registration.",
     True),
    ("UPR-2020-117", UPR_2020, "", 2021, "Government", "CAM-05 CMP-02",
     "End the harassment of human rights defenders, journalists and election observers.",
     "Спыніць пераслед праваабаронцаў, журналістаў і назіральнікаў за выбарамі.",
     "Прекратить преследование правозащитников, журналистов и наблюдателей за выборами.",
     "not_implemented", "Observers of earlier campaigns were searched and detained in 2024.",
     True),
    ("UPR-2020-121", UPR_2020, "", 2021, "Government", "CMP-01",
     "Ensure that complaints about elections are examined by an independent court.",
     "Забяспечыць разгляд выбарчых скаргаў незалежным судом.",
     "Обеспечить рассмотрение избирательных жалоб независимым судом.",
     "in_progress", "A draft amendment on judicial review of commission decisions was "
     "published; it had not been adopted by election day.", False),
    ("SR-2023-08", SPECIAL_RAPPORTEUR, "", 2023, "Government", "CAM-03",
     "Give all contestants fair access to state media.",
     "Даць усім удзельнікам выбараў справядлівы доступ да дзяржаўных СМІ.",
     "Предоставить всем участникам выборов справедливый доступ к государственным СМИ.",
     "", "", False),
)  # fmt: skip

# (criterion, conclusion, reasoning en, be, ru, figures, documents, agreed)
ASSESSMENTS = (
    ("COM-01", "does_not_meet",
     "District and territorial commissions were drawn almost entirely from pro-government "
     "associations and labour collectives; the remaining parties had a token share.",
     "Акруговыя і тэрытарыяльныя камісіі амаль цалкам складаліся з прадстаўнікоў праўрадавых "
     "аб’яднанняў і працоўных калектываў.",
     "Окружные и территориальные комиссии почти полностью состояли из представителей "
     "проправительственных объединений и трудовых коллективов.",
     "commission_composition level=dec by=alignment | Share of DEC members by nominating "
     "subject (74.3% pro-government associations)",
     "Formation of territorial and district commissions | "
     "https://elections2024.spring96.org/en/news/113790 | 2024-01-05", True),
    ("COM-02", "does_not_meet",
     "Independent observers were not admitted to the meetings that formed the commissions, and "
     "no reasons were given for rejected nominees.", "", "", "", "", True),
    ("NOM-02", "does_not_meet",
     "Opposition parties were dissolved before the campaign; only four parties loyal to the "
     "authorities could nominate.", "", "",
     "registered_by_organisation election=house | Candidates registered by nominating "
     "organisation", "", True),
    ("CAM-05", "does_not_meet",
     "Activists and past observers faced searches, questioning and detentions linked to the "
     "election.", "", "", "", "", True),
    ("EV-01", "does_not_meet",
     "Voters' messages describe students and state employees made to vote early and to report "
     "that they had voted.", "", "", "", "", True),
    ("ED-04", "does_not_meet",
     "No independent observers were accredited with meaningful access; the mission could not "
     "observe polling stations.", "", "", "", "", True),
    ("CNT-01", "not_assessed", "", "", "", "", "", True),
    ("CAM-03", "partially_meets",
     "Candidates received free airtime, but coverage outside it favoured pro-government "
     "candidates.", "", "", "", "", False),
)  # fmt: skip


def _verified_reference(campaign_id: int, code: str) -> str:
    reference = db.session.execute(
        select(Report.reference)
        .join(Criterion, Criterion.id == Report.criterion_id)
        .where(
            Report.campaign_id == campaign_id,
            Report.status == Status.VERIFIED,
            Criterion.code == code,
        )
        .order_by(Report.id)
        .limit(1)
    ).scalar_one_or_none()
    return reference or ""


def _known_figures(lines: str) -> str:
    """The demo's figure citations the installed figure registry knows (all, without one)."""
    known = known_figure_keys()
    kept = [line for line in lines.splitlines() if known is None or line.split()[0] in known]
    return "\n".join(kept)


def seed_demo_judgments() -> None:
    campaign = active_campaign()
    proposer, agreer = find_user_by_email(PROPOSER), find_user_by_email(AGREER)
    if campaign is None or proposer is None or agreer is None:
        return
    ensure_default_scales()
    db.session.commit()
    if db.session.execute(select(Recommendation.id).limit(1)).first() is None:
        _seed_recommendations(campaign, proposer, agreer)
    if (
        db.session.execute(
            select(Assessment.id).where(Assessment.campaign_id == campaign.id).limit(1)
        ).first()
        is None
    ):
        _seed_assessments(campaign, proposer, agreer)


def _seed_recommendations(campaign, proposer, agreer) -> None:
    criteria = {
        c.code: c
        for c in db.session.execute(
            select(Criterion).where(Criterion.campaign_id == campaign.id)
        ).scalars()
    }
    for position, row in enumerate(RECOMMENDATIONS, 1):
        code, source, paragraph, year, addressee, codes, en, be, ru, rating, reason, agreed = row
        recommendation = Recommendation(
            code=code,
            source=source,
            paragraph=paragraph or None,
            year=year,
            addressee=addressee,
            text_en=en,
            text_be=be,
            text_ru=ru,
            position=position,
            criteria=[criteria[c] for c in codes.split() if c in criteria],
        )
        db.session.add(recommendation)
        db.session.commit()
        if not rating:
            continue
        follow_up, _ = rate_follow_up(
            proposer,
            recommendation,
            campaign.id,
            JudgmentContent(level_code=rating, reasoning={"en": reason}),
        )
        if agreed:
            agree_follow_up(follow_up, agreer, follow_up.version)


def _seed_assessments(campaign, proposer, agreer) -> None:
    criteria = {
        c.code: c
        for c in db.session.execute(
            select(Criterion).where(Criterion.campaign_id == campaign.id)
        ).scalars()
    }
    for code, level, en, be, ru, figures, documents, agreed in ASSESSMENTS:
        if code not in criteria:
            continue
        assessment = propose_assessment(
            proposer,
            AssessmentScope(criteria[code].id),
            JudgmentContent(
                level_code=level,
                reasoning={"en": en, "be": be, "ru": ru},
                reports=_verified_reference(campaign.id, code),
                figures=_known_figures(figures),
                documents=documents,
            ),
        )
        if agreed:
            agree_assessment(assessment, agreer, assessment.version)
