"""The vocabulary, bound once. Every term the emitter writes comes from here.

The ontology (``ontology/kg-builder.ttl``) defines each ``kgb:`` term below; a test
checks that both agree. Comments give domain → range, as the ontology declares them.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

ONTOLOGY_IRI = "https://w3id.org/kg-builder/ontology"
KGB = Namespace(ONTOLOGY_IRI + "#")
CODE = Namespace("https://w3id.org/kg-builder/code/")
AGREEMENT_STATUS = Namespace(CODE + "agreement-status/")
DEMAND_STATUS = Namespace(CODE + "demand-status/")
PLOVER = Namespace(CODE + "plover/")
DEFAULT_BASE = "https://w3id.org/kg-builder/id/"

ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES = {
    "kgb": KGB,
    "agst": AGREEMENT_STATUS,
    "dmst": DEMAND_STATUS,
    "plover": PLOVER,
    "org": ORG,
    "schema": SCHEMA,
    "oa": OA,
    "sem": SEM,
    "prov": PROV,
    "skos": SKOS,
    "owl": OWL,
    "rdfs": RDFS,
    "xsd": XSD,
    "wd": WD,
}

# ---- classes
Article = KGB.Article  # ⊑ schema:NewsArticle, prov:Entity
Extraction = KGB.Extraction  # ⊑ prov:Activity: one run of kg-builder over one article
Actor = KGB.Actor  # ⊑ prov:Agent
Person = KGB.Person  # ⊑ Actor, schema:Person
Organisation = KGB.Organisation  # ⊑ Actor, org:Organization, schema:Organization
State = KGB.State  # ⊑ Organisation
GovernmentBody = KGB.GovernmentBody  # ⊑ Organisation
InternationalOrganisation = KGB.InternationalOrganisation  # ⊑ Organisation
PoliticalParty = KGB.PoliticalParty  # ⊑ Organisation
ArmedGroup = KGB.ArmedGroup  # ⊑ Organisation
Company = KGB.Company  # ⊑ Organisation
MediaOrganisation = KGB.MediaOrganisation  # ⊑ Organisation
NGO = KGB.NGO  # ⊑ Organisation
Union = KGB.Union  # ⊑ Organisation (trade union)
CollectiveActor = KGB.CollectiveActor  # ⊑ Actor ("the West")
Post = KGB.Post  # ⊑ org:Post
Event = KGB.Event  # ⊑ schema:Event, sem:Event
Demand = KGB.Demand  # ⊑ Event
Meeting = KGB.Meeting  # ⊑ Event
Agreement = KGB.Agreement  # ⊑ prov:Entity, schema:CreativeWork
Statement = KGB.Statement  # ⊑ schema:Quotation
Place = KGB.Place  # ⊑ schema:Place, sem:Place
ActorMention = KGB.ActorMention  # a place in the text where an actor is named
Evidence = KGB.Evidence  # ⊑ oa:TextPositionSelector: offsets into an article's text
# What one article says about a shared entity, and what is followed across articles.
EntityDescription = KGB.EntityDescription  # ⊑ prov:Entity: an article's view of an actor/post/place
AgreementReport = KGB.AgreementReport  # what one article reports about an agreement (a fact)
TrackedDemand = KGB.TrackedDemand  # ⊑ prov:Entity: one demand followed across articles
StatusStep = KGB.StatusStep  # ⊑ prov:Entity: one step in a demand's or agreement's history
AgreementStatus = KGB.AgreementStatus  # ⊑ skos:Concept
DemandStatus = KGB.DemandStatus  # ⊑ skos:Concept
EventCategory = KGB.EventCategory  # ⊑ skos:Concept (PLOVER)

# ---- concept schemes (individuals of skos:ConceptScheme)
AgreementStatusScheme = KGB.AgreementStatusScheme
DemandStatusScheme = KGB.DemandStatusScheme
PloverScheme = KGB.PloverScheme

# ---- article (datatype properties unless noted)
articleId = KGB.articleId  # Article → xsd:string
url = KGB.url  # Article → xsd:anyURI (⊑ schema:url)
publisher = KGB.publisher  # Article → xsd:string, publisher's name
published = KGB.published  # Article → xsd:date (⊑ schema:datePublished)
title = KGB.title  # Article → xsd:string (⊑ schema:headline)
text = KGB.text  # Article → xsd:string, the full text offsets point into (⊑ schema:articleBody)
mentions = KGB.mentions  # Article → Actor (object; ⊑ schema:mentions)

# ---- actors
name = KGB.name  # Actor/Agreement/Meeting/Place/Post/EntityDescription/AgreementReport → xsd:string
alias = KGB.alias  # Actor/Agreement/EntityDescription/AgreementReport → xsd:string
partOf = KGB.partOf  # Organisation → Organisation (⊑ org:subOrganizationOf)
wikidata = KGB.wikidata  # Actor/EntityDescription → xsd:string, Q-id (IRI: skos:exactMatch)
mentionOf = KGB.mentionOf  # ActorMention → Actor
# ---- entity descriptions (article graphs) → canonical descriptions (the entity graph)
describes = KGB.describes  # EntityDescription → Actor/Post/Place
describedAs = KGB.describedAs  # EntityDescription → owl:Class, the class the article gives
surfaceForm = KGB.surfaceForm  # ActorMention → xsd:string

# ---- posts
holds = KGB.holds  # Person → Post (⊑ org:holds)
postIn = KGB.postIn  # Post → Organisation (⊑ org:postIn)
postTitle = KGB.postTitle  # Post → xsd:string ("Deputy Foreign Minister")
# A post is held in the context of an article: the fact is a PostHolding.
PostHolding = KGB.PostHolding  # a Person holding a Post, as an article states
holder = KGB.holder  # PostHolding → Person
post = KGB.post  # PostHolding → Post

# ---- events and facts
date = KGB.date  # Event/Statement/Agreement → xsd:date (⊑ sem:hasTimeStamp, schema:startDate)
year = KGB.year  # Agreement → xsd:gYear, when only the year is known
yearMonth = KGB.yearMonth  # Agreement → xsd:gYearMonth
eventCategory = KGB.eventCategory  # Event → EventCategory (PLOVER)
demander = KGB.demander  # Demand → Actor (⊑ prov:wasAttributedTo)
addressee = KGB.addressee  # Demand → Actor
content = KGB.content  # Demand → xsd:string, the demanded act in words
conditional = KGB.conditional  # Demand → xsd:boolean
condition = KGB.condition  # Demand → xsd:string, the condition in words
demandStatus = KGB.demandStatus  # Demand → DemandStatus
agreementKind = KGB.agreementKind  # Agreement → xsd:string (treaty, deal, memorandum…)
agreementStatus = KGB.agreementStatus  # Agreement → AgreementStatus
party = KGB.party  # Agreement → Actor
meetingKind = KGB.meetingKind  # Meeting → xsd:string (meeting, talks, summit, call, visit…)
place = KGB.place  # Meeting → Place (⊑ sem:hasPlace, schema:location)
participant = KGB.participant  # Meeting → Actor (⊑ sem:hasActor)
planned = KGB.planned  # Meeting → xsd:boolean (announced, not yet held)
quote = KGB.quote  # Statement → xsd:string (⊑ schema:text)
speaker = KGB.speaker  # Statement → Actor (⊑ prov:wasAttributedTo)
agreement = KGB.agreement  # AgreementReport → Agreement

# ---- histories (the entity graph; article-scoped agreements in their article graph)
report = KGB.report  # TrackedDemand → Demand, Agreement → AgreementReport
step = KGB.step  # TrackedDemand/Agreement → StatusStep
status = KGB.status  # StatusStep → DemandStatus/AgreementStatus concept
ordinal = KGB.ordinal  # StatusStep → xsd:integer ≥ 1, its place in the history
seenOn = KGB.seenOn  # StatusStep → xsd:date, the reporting article's publication date
basis = KGB.basis  # StatusStep → Demand/AgreementReport, the fact the step rests on
firstSeen = KGB.firstSeen  # TrackedDemand/Agreement → xsd:date
lastSeen = KGB.lastSeen  # TrackedDemand/Agreement → xsd:date
articleCount = KGB.articleCount  # TrackedDemand/Agreement → xsd:integer ≥ 1 (derived)

# ---- lookup keys (derived on canonical descriptions: kg_builder.rdf.derived)
nameKey = KGB.nameKey  # entity → xsd:string, a name or alias lower-cased

# Offsets are xsd:integer ≥ 0, not xsd:nonNegativeInteger: Oxigraph and other stores keep
# derived integer types as xsd:integer, and a stored graph must still conform.
# ---- evidence (every fact: ActorMention, PostHolding, Demand, Agreement, Meeting, Statement)
evidence = KGB.evidence  # fact → Evidence
inArticle = KGB.inArticle  # Evidence → Article
start = KGB.start  # Evidence → xsd:integer ≥ 0 (⊑ oa:start)
end = KGB.end  # Evidence → xsd:integer ≥ 0 (⊑ oa:end)
exact = KGB.exact  # Evidence → xsd:string, the span's text (⊑ oa:exact)
sentence = KGB.sentence  # Evidence → xsd:string, the sentence around the span
sentenceStart = KGB.sentenceStart  # Evidence → xsd:integer ≥ 0
sentenceEnd = KGB.sentenceEnd  # Evidence → xsd:integer ≥ 0

# ---- provenance: facts point to their article and to the extraction run (PROV-O, reused as is)
wasDerivedFrom = PROV.wasDerivedFrom  # fact → Article
wasGeneratedBy = PROV.wasGeneratedBy  # fact/Article graph → Extraction
softwareVersion = KGB.softwareVersion  # Extraction → xsd:string
model = KGB.model  # Extraction → xsd:string, the spaCy model used

# A shared actor's Wikidata item (see the ontology's comment on kgb:wikidata for why
# skos:exactMatch and not owl:sameAs).
exactMatch = SKOS.exactMatch

# Non-kgb terms the emitter writes; the ontology declares or imports each.
EXTERNAL_TERMS = (
    RDF.type,
    RDFS.label,
    SKOS.exactMatch,
    PROV.wasDerivedFrom,
    PROV.wasGeneratedBy,
)
