"""Fixed wording of statement PDFs in the three statement languages.

The PDF is rendered outside any request (and by the CLI and benchmarks), so its labels cannot go
through Flask-Babel; this small dictionary is the single source for them. Keys are identical for
every language (a test checks that)."""

from __future__ import annotations

STATEMENT_LANGUAGES = ("en", "be", "ru")

# Names of the languages in themselves, shown on the cover and the public pages.
LANGUAGE_SELF_NAMES = {"en": "English", "be": "Беларуская", "ru": "Русский"}

COUNTING_RULES = {
    "en": (
        "Only reports verified by the mission's coordinators are counted; reports that are "
        "submitted but not yet reviewed, waiting for more information, rejected or marked as "
        "duplicates are not. Each figure is a number of documented cases for the period and the "
        "stages covered by this statement, counted by the date on which the incident happened, "
        "and each case is counted once, under its primary criterion. The mission is an expert "
        "mission working from observers' reports, open sources and voters' messages; it does "
        "not observe a random sample of polling stations. The figures are therefore documented "
        "cases, not percentages of polling stations or of voters, and they cannot be "
        "extrapolated to the country as a whole."
    ),
    "be": (
        "Улічваюцца толькі паведамленні, правераныя каардынатарамі місіі; паведамленні, якія "
        "яшчэ не разгледжаныя, чакаюць удакладнення, адхіленыя або пазначаныя як дублікаты, не "
        "ўлічваюцца. Кожная лічба — гэта колькасць задакументаваных выпадкаў за перыяд і "
        "этапы, якія ахоплівае гэтая заява, паводле даты здарэння; кожны выпадак улічваецца "
        "адзін раз — паводле яго асноўнага крытэрыю. Місія з’яўляецца экспертнай: яна працуе з "
        "паведамленнямі назіральнікаў, адкрытымі крыніцамі і зваротамі выбаршчыкаў і не назірае "
        "выпадковую выбарку ўчасткаў для галасавання. Таму лічбы паказваюць задакументаваныя "
        "выпадкі, а не адсоткі ўчасткаў або выбаршчыкаў, і іх нельга экстрапаляваць на ўсю "
        "краіну."
    ),
    "ru": (
        "Учитываются только сообщения, проверенные координаторами миссии; сообщения, которые "
        "ещё не рассмотрены, ожидают уточнения, отклонены или отмечены как дубликаты, не "
        "учитываются. Каждая цифра — это число задокументированных случаев за период и этапы, "
        "которые охватывает настоящее заявление, по дате события; каждый случай учитывается "
        "один раз — по его основному критерию. Миссия является экспертной: она работает с "
        "сообщениями наблюдателей, открытыми источниками и обращениями избирателей и не "
        "наблюдает случайную выборку избирательных участков. Поэтому цифры показывают "
        "задокументированные случаи, а не проценты участков или избирателей, и их нельзя "
        "экстраполировать на всю страну."
    ),
}

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "subject": "Findings statement of an election observation mission",
        "statement": "Statement",
        "contents": "Contents",
        "key_findings": "Key findings",
        "recommendations": "Recommendations",
        "methodology": "Methodology note",
        "counting_rules": "Counting rules",
        "statistics": "Documented cases in figures",
        "page_x_of_y": "Page %(x)s of %(y)s",
        "period": "Period",
        "period_value": "%(start)s – %(end)s",
        "stages_covered": "Stages covered",
        "language": "Language",
        "published": "Published",
        "draft_banner": "DRAFT — not for publication",
        "draft_generated": "Draft generated",
        "figures_as_of": "Figures as of %(time)s UTC",
        "corrects": "This statement corrects the statement “%(title)s” published on %(date)s.",
        "total_cases": "Documented cases (verified)",
        "districts": "Districts with documented cases",
        "by_criterion": "Cases by criterion",
        "by_stage": "Cases by stage",
        "by_region": "Cases by region",
        "by_severity": "Cases by severity",
        "chart_criterion": "Documented cases by criterion",
        "stage_cases": "Documented cases in this stage by criterion",
        "code": "Code",
        "criterion": "Criterion",
        "stage": "Stage",
        "region": "Region",
        "severity": "Severity",
        "cases": "Cases",
        "total": "Total",
        "no_cases": "No verified cases were documented for this period.",
        "severity_1": "1 · procedural",
        "severity_2": "2 · significant",
        "severity_3": "3 · serious",
        "severity_4": "4 · critical",
        "fewer_than": "fewer than %(n)s",
        "withheld": "withheld",
        "suppression_note": (
            "Counts below %(n)s for a district are shown as “fewer than %(n)s”, and where "
            "needed a second count is withheld, so that no small number of cases can be "
            "worked out from the totals."
        ),
        "case_examples": "Case examples",
        "case_n": "Case %(n)s.",
        "source": "Source",
        "district_unstated": "District not stated",
        "by_district": "Cases by district",
        "district": "District",
        "place": "Place",
        "contact": "Contact",
        "annex": "Annex: documented cases in figures",
        "notes": "Notes",
        "commission_level": "Commission level",
        "nominated_by": "Nominated by",
        "members": "Members",
        "share": "Share",
        "nominated": "Nominated",
        "appointed": "Appointed",
        "appointed_rate": "Appointed of nominated",
        "share_of_members": "Share of members",
        "election": "Election",
        "registered": "Registered",
        "registered_share": "Registered of nominated",
        "refused": "Refused",
        "withdrawn": "Withdrawn",
        "elected": "Elected",
        "women_nominated": "Women among nominees",
        "women_registered": "Women among registered",
        "seats": "Seats",
        "per_seat": "Candidates per seat",
        "reason": "Reason",
        "area": "Area",
        "as_of": "As of",
        "value": "Value",
        "unit": "Unit",
        "whole_country": "Whole country",
        "title_composition": "Members of commissions by nominating group",
        "title_inclusion": "Nominees appointed to commissions",
        "title_pipeline": "Nomination and registration of candidates",
        "title_refusals": "Refusals of registration by reason",
        "title_registered_by": "Registered candidates by nominating organisation",
        "title_official": "Official figures",
        "assessment_matrix": "Conclusions on the standards by stage",
        "conclusions": "Conclusions",
        "conclusion": "Conclusion",
        "reasoning": "Reasoning",
        "follow_up": "Follow-up of earlier recommendations",
        "rating": "Rating",
        "recommendations_unit": "Recommendations",
        "show_table": "Show the figures as a table",
        "references_legend": (
            "Legal references in the notes: ICCPR — International Covenant on Civil and "
            "Political Rights, article; GC25 — UN Human Rights Committee, General Comment No. "
            "25 (1996), paragraph; CD — OSCE Copenhagen Document (1990), paragraph; CoGP — "
            "Venice Commission, Code of Good Practice in Electoral Matters (CDL-AD(2002)023), "
            "section."
        ),
    },
    "be": {
        "subject": "Заява з высновамі місіі назірання за выбарамі",
        "statement": "Заява",
        "contents": "Змест",
        "key_findings": "Асноўныя высновы",
        "recommendations": "Рэкамендацыі",
        "methodology": "Заўвага пра метадалогію",
        "counting_rules": "Правілы падліку",
        "statistics": "Задакументаваныя выпадкі ў лічбах",
        "page_x_of_y": "Старонка %(x)s з %(y)s",
        "period": "Перыяд",
        "period_value": "%(start)s – %(end)s",
        "stages_covered": "Ахопленыя этапы",
        "language": "Мова",
        "published": "Апублікавана",
        "draft_banner": "ЧАРНАВІК — не для публікацыі",
        "draft_generated": "Чарнавік сфарміраваны",
        "figures_as_of": "Лічбы па стане на %(time)s UTC",
        "corrects": "Гэтая заява выпраўляе заяву «%(title)s», апублікаваную %(date)s.",
        "total_cases": "Задакументаваныя выпадкі (правераныя)",
        "districts": "Раёны з задакументаванымі выпадкамі",
        "by_criterion": "Выпадкі паводле крытэрыяў",
        "by_stage": "Выпадкі паводле этапаў",
        "by_region": "Выпадкі паводле рэгіёнаў",
        "by_severity": "Выпадкі паводле ступені сур’ёзнасці",
        "chart_criterion": "Задакументаваныя выпадкі паводле крытэрыяў",
        "stage_cases": "Задакументаваныя выпадкі на гэтым этапе паводле крытэрыяў",
        "code": "Код",
        "criterion": "Крытэрый",
        "stage": "Этап",
        "region": "Рэгіён",
        "severity": "Ступень сур’ёзнасці",
        "cases": "Выпадкі",
        "total": "Усяго",
        "no_cases": "За гэты перыяд правераных выпадкаў не задакументавана.",
        "severity_1": "1 · працэдурнае",
        "severity_2": "2 · істотнае",
        "severity_3": "3 · сур’ёзнае",
        "severity_4": "4 · крытычнае",
        "fewer_than": "менш за %(n)s",
        "withheld": "не паказана",
        "suppression_note": (
            "Колькасць выпадкаў у раёне меншая за %(n)s паказваецца як «менш за %(n)s», а дзе "
            "трэба, не паказваецца і другая лічба, каб малую колькасць выпадкаў нельга было "
            "вылічыць з агульных сум."
        ),
        "case_examples": "Прыклады выпадкаў",
        "case_n": "Выпадак %(n)s.",
        "source": "Крыніца",
        "district_unstated": "Раён не пазначаны",
        "by_district": "Выпадкі паводле раёнаў",
        "district": "Раён",
        "place": "Месца",
        "contact": "Кантакт",
        "annex": "Дадатак: задакументаваныя выпадкі ў лічбах",
        "notes": "Заўвагі",
        "commission_level": "Узровень камісій",
        "nominated_by": "Хто вылучыў",
        "members": "Члены",
        "share": "Доля",
        "nominated": "Вылучана",
        "appointed": "Уключана",
        "appointed_rate": "Уключана з вылучаных",
        "share_of_members": "Доля ад членаў",
        "election": "Выбары",
        "registered": "Зарэгістравана",
        "registered_share": "Зарэгістравана з вылучаных",
        "refused": "Адмоўлена",
        "withdrawn": "Зняліся",
        "elected": "Абрана",
        "women_nominated": "Жанчын сярод вылучаных",
        "women_registered": "Жанчын сярод зарэгістраваных",
        "seats": "Мандаты",
        "per_seat": "Кандыдатаў на мандат",
        "reason": "Прычына",
        "area": "Тэрыторыя",
        "as_of": "На момант",
        "value": "Значэнне",
        "unit": "Адзінка",
        "whole_country": "Уся краіна",
        "title_composition": "Члены камісій паводле суб’ектаў вылучэння",
        "title_inclusion": "Вылучэнцы, уключаныя ў камісіі",
        "title_pipeline": "Вылучэнне і рэгістрацыя кандыдатаў",
        "title_refusals": "Адмовы ў рэгістрацыі паводле прычын",
        "title_registered_by": "Зарэгістраваныя кандыдаты паводле суб’ектаў вылучэння",
        "title_official": "Афіцыйныя лічбы",
        "assessment_matrix": "Высновы аб стандартах паводле этапаў",
        "conclusions": "Высновы",
        "conclusion": "Выснова",
        "reasoning": "Абгрунтаванне",
        "follow_up": "Выкананне ранейшых рэкамендацый",
        "rating": "Ацэнка",
        "recommendations_unit": "Рэкамендацыі",
        "show_table": "Паказаць лічбы табліцай",
        "references_legend": (
            "Прававыя спасылкі ў заўвагах: ICCPR — Міжнародны пакт аб грамадзянскіх і "
            "палітычных правах, артыкул; GC25 — Камітэт ААН па правах чалавека, Агульная "
            "заўвага № 25 (1996), пункт; CD — Капенгагенскі дакумент АБСЕ (1990), пункт; CoGP "
            "— Венецыянская камісія, Кодэкс добрай практыкі ў выбарчых справах "
            "(CDL-AD(2002)023), раздзел."
        ),
    },
    "ru": {
        "subject": "Заявление с выводами миссии наблюдения за выборами",
        "statement": "Заявление",
        "contents": "Содержание",
        "key_findings": "Основные выводы",
        "recommendations": "Рекомендации",
        "methodology": "Методологическая справка",
        "counting_rules": "Правила подсчёта",
        "statistics": "Задокументированные случаи в цифрах",
        "page_x_of_y": "Страница %(x)s из %(y)s",
        "period": "Период",
        "period_value": "%(start)s – %(end)s",
        "stages_covered": "Охваченные этапы",
        "language": "Язык",
        "published": "Опубликовано",
        "draft_banner": "ЧЕРНОВИК — не для публикации",
        "draft_generated": "Черновик сформирован",
        "figures_as_of": "Цифры по состоянию на %(time)s UTC",
        "corrects": (
            "Настоящее заявление исправляет заявление «%(title)s», опубликованное %(date)s."
        ),
        "total_cases": "Задокументированные случаи (проверенные)",
        "districts": "Районы с задокументированными случаями",
        "by_criterion": "Случаи по критериям",
        "by_stage": "Случаи по этапам",
        "by_region": "Случаи по регионам",
        "by_severity": "Случаи по степени серьёзности",
        "chart_criterion": "Задокументированные случаи по критериям",
        "stage_cases": "Задокументированные случаи на этом этапе по критериям",
        "code": "Код",
        "criterion": "Критерий",
        "stage": "Этап",
        "region": "Регион",
        "severity": "Степень серьёзности",
        "cases": "Случаи",
        "total": "Всего",
        "no_cases": "За этот период проверенных случаев не задокументировано.",
        "severity_1": "1 · процедурное",
        "severity_2": "2 · существенное",
        "severity_3": "3 · серьёзное",
        "severity_4": "4 · критическое",
        "fewer_than": "менее %(n)s",
        "withheld": "не показано",
        "suppression_note": (
            "Число случаев в районе меньше %(n)s показывается как «менее %(n)s», а где нужно, "
            "не показывается и второе число, чтобы малое число случаев нельзя было вычислить "
            "из итогов."
        ),
        "case_examples": "Примеры случаев",
        "case_n": "Случай %(n)s.",
        "source": "Источник",
        "district_unstated": "Район не указан",
        "by_district": "Случаи по районам",
        "district": "Район",
        "place": "Место",
        "contact": "Контакт",
        "annex": "Приложение: задокументированные случаи в цифрах",
        "notes": "Примечания",
        "commission_level": "Уровень комиссий",
        "nominated_by": "Кто выдвинул",
        "members": "Члены",
        "share": "Доля",
        "nominated": "Выдвинуто",
        "appointed": "Включено",
        "appointed_rate": "Включено из выдвинутых",
        "share_of_members": "Доля от членов",
        "election": "Выборы",
        "registered": "Зарегистрировано",
        "registered_share": "Зарегистрировано из выдвинутых",
        "refused": "Отказано",
        "withdrawn": "Снялись",
        "elected": "Избрано",
        "women_nominated": "Женщин среди выдвинутых",
        "women_registered": "Женщин среди зарегистрированных",
        "seats": "Мандаты",
        "per_seat": "Кандидатов на мандат",
        "reason": "Причина",
        "area": "Территория",
        "as_of": "На момент",
        "value": "Значение",
        "unit": "Единица",
        "whole_country": "Вся страна",
        "title_composition": "Члены комиссий по субъектам выдвижения",
        "title_inclusion": "Выдвиженцы, включённые в комиссии",
        "title_pipeline": "Выдвижение и регистрация кандидатов",
        "title_refusals": "Отказы в регистрации по причинам",
        "title_registered_by": "Зарегистрированные кандидаты по субъектам выдвижения",
        "title_official": "Официальные цифры",
        "assessment_matrix": "Выводы о стандартах по этапам",
        "conclusions": "Выводы",
        "conclusion": "Вывод",
        "reasoning": "Обоснование",
        "follow_up": "Выполнение прежних рекомендаций",
        "rating": "Оценка",
        "recommendations_unit": "Рекомендации",
        "show_table": "Показать цифры таблицей",
        "references_legend": (
            "Правовые ссылки в примечаниях: ICCPR — Международный пакт о гражданских и "
            "политических правах, статья; GC25 — Комитет ООН по правам человека, Замечание "
            "общего порядка № 25 (1996), пункт; CD — Копенгагенский документ ОБСЕ (1990), "
            "пункт; CoGP — Венецианская комиссия, Свод рекомендуемых норм при проведении "
            "выборов (CDL-AD(2002)023), раздел."
        ),
    },
}


def language_of(code: str | None) -> str:
    return code if code in STATEMENT_LANGUAGES else "en"


def label(language: str, key: str, **values: object) -> str:
    text = LABELS[language_of(language)][key]
    return text % values if values else text


def counting_rules(language: str) -> str:
    return COUNTING_RULES[language_of(language)]


def severity_label(language: str, level: int) -> str:
    return label(language, f"severity_{level}")
