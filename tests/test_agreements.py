"""Agreements: names, merging, kind, status, parties and date."""

from __future__ import annotations

import datetime as dt

from kg_builder.models import AgreementStatus


def run(extract_text, text):
    extraction = extract_text(text, dt.date(2023, 3, 9))
    names = {a.key: a.name for a in extraction.actors}
    return extraction.agreements, names


def test_named_accord_with_signing_parties_and_year(extract_text):
    [a], names = run(extract_text, "Canada and Mexico signed the 2018 Lima Accord on fisheries.")
    assert a.name == "Lima Accord"
    assert a.key == "lima-accord"
    assert a.kind == "accord"
    assert a.status is AgreementStatus.SIGNED
    assert a.date == "2018"
    assert sorted(names[p] for p in a.parties) == ["Canada", "Mexico"]


def test_definite_description_merges_into_named_agreement(extract_text):
    text = (
        "The Oslo Accords were signed in 1993. Critics say the accords never delivered "
        "a Palestinian state."
    )
    agreements, _ = run(extract_text, text)
    assert [a.name for a in agreements] == ["Oslo Accords"]


def test_acronym_in_brackets_becomes_alias_and_merges(extract_text):
    text = (
        "Brazil joined the Treaty on the Prohibition of Nuclear Weapons (TPNW) in 2017. "
        "Argentina has not ratified the TPNW."
    )
    [a], _ = run(extract_text, text)
    assert a.name == "Treaty on the Prohibition of Nuclear Weapons"
    assert "TPNW" in a.aliases


def test_draft_agreement_with_possessive_party(extract_text):
    text = "Japan's draft agreement on fishing quotas was sent to South Korea."
    [a], names = run(extract_text, text)
    assert a.status is AgreementStatus.DRAFT
    assert "fishing quotas" in a.name
    assert "Japan" in [names[p] for p in a.parties]


def test_withdrawal_terminates_and_negotiation_is_under_negotiation(extract_text):
    text = (
        "France withdrew from the Bonn Treaty in 2019. Germany and Poland are negotiating "
        "a new border treaty."
    )
    agreements, _ = run(extract_text, text)
    by_name = {a.name: a for a in agreements}
    assert by_name["Bonn Treaty"].status is AgreementStatus.TERMINATED
    assert by_name["new border treaty"].status is AgreementStatus.UNDER_NEGOTIATION


def test_violation_is_detected(extract_text):
    [a], _ = run(
        extract_text, "Armenia accused Azerbaijan of violating the Moscow Ceasefire Agreement."
    )
    assert a.status is AgreementStatus.VIOLATED


def test_hypothetical_reaching_is_not_signed(extract_text):
    [a], _ = run(
        extract_text, "Kenya hopes a ceasefire deal between Sudan and Chad can be reached soon."
    )
    assert a.status is AgreementStatus.UNDER_NEGOTIATION


def test_generic_uses_of_agreement_are_not_agreements(extract_text):
    text = (
        "The visit did not yield any agreements. Chile is in agreement with Peru on "
        "this point, and a great deal of work remains."
    )
    agreements, _ = run(extract_text, text)
    assert agreements == ()


def test_same_named_agreement_gets_same_key_in_two_articles(extract_text):
    [a1], _ = run(extract_text, "India praised the Paris Agreement.")
    [a2], _ = run(extract_text, "The United States rejoined the Paris Agreement in 2021.")
    assert a1.key == a2.key == "paris-agreement"


def test_name_never_crosses_a_line_break(extract_text):
    text = "The rebels demanded a lasting ceasefire in Darfur\nKHARTOUM, May 3 - Fighting went on."
    agreements, _ = run(extract_text, text)
    assert agreements and all("KHARTOUM" not in a.name for a in agreements)


def test_signing_reported_later_beats_negotiation_in_first_mention(extract_text):
    text = (
        "Talks on the Nile Water Accord resumed on Monday. Egypt and Sudan signed the "
        "Nile Water Accord in 2015."
    )
    [a], _ = run(extract_text, text)
    assert a.status is AgreementStatus.SIGNED


def test_agreement_that_is_an_aim_is_not_signed(extract_text):
    text = "Ghana's aim in the negotiations is reaching a lasting fisheries agreement with Norway."
    [a], _ = run(extract_text, text)
    assert a.status is AgreementStatus.UNDER_NEGOTIATION


def test_bringing_back_into_a_deal_is_not_termination(extract_text):
    text = "Several rounds of talks were held to bring Venezuela back into the oil deal."
    [a], _ = run(extract_text, text)
    assert a.status is not AgreementStatus.TERMINATED


def test_title_case_headline_does_not_name_the_agreement(extract_text):
    text = (
        "Ghana Seeks ‘Fair, Lasting’ Deal In Cocoa Talks\n\nACCRA – Ghana wants a "
        "“fair and lasting” deal with Norway, its trade minister said on Monday."
    )
    agreements, _ = run(extract_text, text)
    assert [a.name for a in agreements] == ["fair and lasting deal"]


# ---------------------------------------------------------------- issue 11: agreements or not


def test_a_states_own_act_plan_or_declaration_is_no_agreement_but_a_joint_one_is(extract_text):
    text = (
        "Chile passed the Coastal Fisheries Protection Act in May and enforces the Harbour "
        "Safety Act (HSA). Its ministry published "
        "the Annual Harbour Plan and the Santiago Declaration on Oceans."
    )
    agreements, _ = run(
        extract_text, text + " Chile and Peru signed the Joint Fisheries Plan of Action."
    )
    assert [a.name for a in agreements] == ["Joint Fisheries Plan of Action"]


def test_one_sided_frameworks_and_generic_plurals_are_no_agreements(extract_text):
    text = (
        "The ministry will prepare a regulatory framework for port fees. "
        "The visits have yielded sister-city agreements across the globe. "
        "Supplier contracts for the new piers more than doubled."
    )
    agreements, _ = run(extract_text, text)
    assert [a.kind for a in agreements if a.kind == "framework"] == []
    assert all("sister" not in a.name and "contract" not in a.name for a in agreements)


def test_the_broker_of_a_truce_is_no_party(extract_text):
    [a], names = run(
        extract_text, "Chile welcomed the Norway-brokered truce between the fishing fleets."
    )
    assert "Norway" not in {names.get(p, p) for p in a.parties}


def test_a_name_keeps_its_inner_of(extract_text):
    [a], _ = run(
        extract_text, "Chile builds on the 1998 Harbour Status of Vessels Agreement with Peru."
    )
    assert a.name == "Harbour Status of Vessels Agreement"


def test_numbered_security_council_resolutions_are_agreements(extract_text):
    agreements, _ = run(
        extract_text, "The seizure violates UN Security Council Resolutions 4021 and 4022."
    )
    assert [(a.name, a.kind) for a in agreements] == [
        ("UN Security Council Resolutions 4021 and 4022", "resolution")
    ]
