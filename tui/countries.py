"""The world's states and a few organisations, as plain data: names, aliases and demonyms.

States are ISO 3166-1 alpha-2 codes (every code `schema.COUNTRY_CODES` holds) with their common
name, official and short names, and demonyms with their plural forms ("Russian", "Russians");
organisations are the international bodies an analyst of military affairs meets most,
and the news agencies sources most often relay. Used to
match names in the text (`prefill.match_parties`, `drafting.propose`); parsed from one string
when first asked, so importing this module costs nothing (it is never on the reader's start-up
path, and need not be).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Entry:
    """A state or an organisation, with every name it goes by."""

    kind: str
    """state or organisation."""
    code: str
    """ISO 3166-1 alpha-2 for a state; the usual abbreviation for an organisation."""
    name: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    """For a state: what its people or things are called ("Russian", "Russians")."""

    @property
    def names(self) -> tuple[str, ...]:
        """The name and aliases: what the entry is called (its demonyms aside)."""
        return (self.name, *self.aliases)


# code|common name|aliases;...|demonyms;... (plurals are added: see _plural)
_STATES = """
AD|Andorra|Principality of Andorra|Andorran
AE|United Arab Emirates|UAE;the Emirates|Emirati
AF|Afghanistan|Islamic Republic of Afghanistan|Afghan
AG|Antigua and Barbuda||Antiguan
AI|Anguilla||Anguillan
AL|Albania|Republic of Albania|Albanian
AM|Armenia|Republic of Armenia|Armenian
AO|Angola|Republic of Angola|Angolan
AQ|Antarctica||
AR|Argentina|Argentine Republic|Argentine;Argentinian
AS|American Samoa||
AT|Austria|Republic of Austria|Austrian
AU|Australia|Commonwealth of Australia|Australian
AW|Aruba||Aruban
AX|Åland Islands|Åland|
AZ|Azerbaijan|Republic of Azerbaijan|Azerbaijani;Azeri
BA|Bosnia and Herzegovina|Bosnia|Bosnian
BB|Barbados||Barbadian
BD|Bangladesh|People's Republic of Bangladesh|Bangladeshi
BE|Belgium|Kingdom of Belgium|Belgian
BF|Burkina Faso||Burkinabe
BG|Bulgaria|Republic of Bulgaria|Bulgarian
BH|Bahrain|Kingdom of Bahrain|Bahraini
BI|Burundi|Republic of Burundi|Burundian
BJ|Benin|Republic of Benin|Beninese
BL|Saint Barthélemy||
BM|Bermuda||Bermudian
BN|Brunei|Brunei Darussalam|Bruneian
BO|Bolivia|Plurinational State of Bolivia|Bolivian
BQ|Caribbean Netherlands|Bonaire, Sint Eustatius and Saba|
BR|Brazil|Federative Republic of Brazil|Brazilian
BS|Bahamas|The Bahamas;Commonwealth of The Bahamas|Bahamian
BT|Bhutan|Kingdom of Bhutan|Bhutanese
BV|Bouvet Island||
BW|Botswana|Republic of Botswana|Botswanan;Motswana;Batswana
BY|Belarus|Republic of Belarus|Belarusian
BZ|Belize||Belizean
CA|Canada||Canadian
CC|Cocos (Keeling) Islands|Cocos Islands|
CD|Democratic Republic of the Congo|DR Congo;DRC;Congo-Kinshasa|Congolese
CF|Central African Republic|CAR|Central African
CG|Republic of the Congo|Congo-Brazzaville;Congo|Congolese
CH|Switzerland|Swiss Confederation|Swiss
CI|Côte d'Ivoire|Ivory Coast|Ivorian
CK|Cook Islands||
CL|Chile|Republic of Chile|Chilean
CM|Cameroon|Republic of Cameroon|Cameroonian
CN|China|People's Republic of China;PRC|Chinese
CO|Colombia|Republic of Colombia|Colombian
CR|Costa Rica|Republic of Costa Rica|Costa Rican
CU|Cuba|Republic of Cuba|Cuban
CV|Cape Verde|Cabo Verde|Cape Verdean
CW|Curaçao||
CX|Christmas Island||
CY|Cyprus|Republic of Cyprus|Cypriot
CZ|Czechia|Czech Republic|Czech;Czechs
DE|Germany|Federal Republic of Germany|German
DJ|Djibouti|Republic of Djibouti|Djiboutian
DK|Denmark|Kingdom of Denmark|Danish;Dane
DM|Dominica|Commonwealth of Dominica|Dominican
DO|Dominican Republic||Dominican
DZ|Algeria|People's Democratic Republic of Algeria|Algerian
EC|Ecuador|Republic of Ecuador|Ecuadorian
EE|Estonia|Republic of Estonia|Estonian
EG|Egypt|Arab Republic of Egypt|Egyptian
EH|Western Sahara||Sahrawi
ER|Eritrea|State of Eritrea|Eritrean
ES|Spain|Kingdom of Spain|Spanish;Spaniard
ET|Ethiopia|Federal Democratic Republic of Ethiopia|Ethiopian
FI|Finland|Republic of Finland|Finnish;Finn
FJ|Fiji|Republic of Fiji|Fijian
FK|Falkland Islands|Falklands|
FM|Micronesia|Federated States of Micronesia|Micronesian
FO|Faroe Islands|Faroes|Faroese
FR|France|French Republic|French;Frenchman;Frenchmen
GA|Gabon|Gabonese Republic|Gabonese
GB|United Kingdom|UK;U.K.;Britain;Great Britain;United Kingdom of Great Britain and Northern Ireland|British;Briton
GD|Grenada||Grenadian
GE|Georgia||Georgian
GF|French Guiana||
GG|Guernsey||
GH|Ghana|Republic of Ghana|Ghanaian
GI|Gibraltar||
GL|Greenland||Greenlandic
GM|Gambia|The Gambia;Republic of The Gambia|Gambian
GN|Guinea|Republic of Guinea|Guinean
GP|Guadeloupe||
GQ|Equatorial Guinea|Republic of Equatorial Guinea|Equatoguinean
GR|Greece|Hellenic Republic|Greek
GS|South Georgia and the South Sandwich Islands||
GT|Guatemala|Republic of Guatemala|Guatemalan
GU|Guam||
GW|Guinea-Bissau|Republic of Guinea-Bissau|Bissau-Guinean
GY|Guyana|Co-operative Republic of Guyana|Guyanese
HK|Hong Kong||
HM|Heard Island and McDonald Islands||
HN|Honduras|Republic of Honduras|Honduran
HR|Croatia|Republic of Croatia|Croatian;Croat
HT|Haiti|Republic of Haiti|Haitian
HU|Hungary||Hungarian
ID|Indonesia|Republic of Indonesia|Indonesian
IE|Ireland|Republic of Ireland|Irish
IL|Israel|State of Israel|Israeli
IM|Isle of Man||Manx
IN|India|Republic of India|Indian
IO|British Indian Ocean Territory||
IQ|Iraq|Republic of Iraq|Iraqi
IR|Iran|Islamic Republic of Iran|Iranian
IS|Iceland||Icelandic;Icelander
IT|Italy|Italian Republic|Italian
JE|Jersey||
JM|Jamaica||Jamaican
JO|Jordan|Hashemite Kingdom of Jordan|Jordanian
JP|Japan||Japanese
KE|Kenya|Republic of Kenya|Kenyan
KG|Kyrgyzstan|Kyrgyz Republic|Kyrgyz
KH|Cambodia|Kingdom of Cambodia|Cambodian
KI|Kiribati||
KM|Comoros|Union of the Comoros|Comoran
KN|Saint Kitts and Nevis||
KP|North Korea|Democratic People's Republic of Korea;DPRK|North Korean
KR|South Korea|Republic of Korea;ROK|South Korean
KW|Kuwait|State of Kuwait|Kuwaiti
KY|Cayman Islands||Caymanian
KZ|Kazakhstan|Republic of Kazakhstan|Kazakh;Kazakhstani
LA|Laos|Lao People's Democratic Republic|Lao;Laotian
LB|Lebanon|Lebanese Republic|Lebanese
LC|Saint Lucia||Saint Lucian
LI|Liechtenstein|Principality of Liechtenstein|Liechtensteiner
LK|Sri Lanka|Democratic Socialist Republic of Sri Lanka|Sri Lankan
LR|Liberia|Republic of Liberia|Liberian
LS|Lesotho|Kingdom of Lesotho|Basotho
LT|Lithuania|Republic of Lithuania|Lithuanian
LU|Luxembourg|Grand Duchy of Luxembourg|Luxembourgish;Luxembourger
LV|Latvia|Republic of Latvia|Latvian
LY|Libya|State of Libya|Libyan
MA|Morocco|Kingdom of Morocco|Moroccan
MC|Monaco|Principality of Monaco|Monegasque
MD|Moldova|Republic of Moldova|Moldovan
ME|Montenegro||Montenegrin
MF|Saint Martin||
MG|Madagascar|Republic of Madagascar|Malagasy
MH|Marshall Islands|Republic of the Marshall Islands|Marshallese
MK|North Macedonia|Republic of North Macedonia;Macedonia|Macedonian
ML|Mali|Republic of Mali|Malian
MM|Myanmar|Burma;Republic of the Union of Myanmar|Burmese
MN|Mongolia||Mongolian
MO|Macao|Macau|Macanese
MP|Northern Mariana Islands||
MQ|Martinique||
MR|Mauritania|Islamic Republic of Mauritania|Mauritanian
MS|Montserrat||
MT|Malta|Republic of Malta|Maltese
MU|Mauritius|Republic of Mauritius|Mauritian
MV|Maldives|Republic of Maldives|Maldivian
MW|Malawi|Republic of Malawi|Malawian
MX|Mexico|United Mexican States|Mexican
MY|Malaysia||Malaysian
MZ|Mozambique|Republic of Mozambique|Mozambican
NA|Namibia|Republic of Namibia|Namibian
NC|New Caledonia||
NE|Niger|Republic of the Niger|Nigerien
NF|Norfolk Island||
NG|Nigeria|Federal Republic of Nigeria|Nigerian
NI|Nicaragua|Republic of Nicaragua|Nicaraguan
NL|Netherlands|Kingdom of the Netherlands;Holland;The Netherlands|Dutch;Dutchman;Dutchmen
NO|Norway|Kingdom of Norway|Norwegian
NP|Nepal|Federal Democratic Republic of Nepal|Nepali;Nepalese
NR|Nauru|Republic of Nauru|Nauruan
NU|Niue||
NZ|New Zealand||New Zealander
OM|Oman|Sultanate of Oman|Omani
PA|Panama|Republic of Panama|Panamanian
PE|Peru|Republic of Peru|Peruvian
PF|French Polynesia||
PG|Papua New Guinea|Independent State of Papua New Guinea|Papua New Guinean
PH|Philippines|Republic of the Philippines;The Philippines|Filipino;Philippine
PK|Pakistan|Islamic Republic of Pakistan|Pakistani
PL|Poland|Republic of Poland|Polish;Pole
PM|Saint Pierre and Miquelon||
PN|Pitcairn Islands|Pitcairn|
PR|Puerto Rico||Puerto Rican
PS|Palestine|State of Palestine|Palestinian
PT|Portugal|Portuguese Republic|Portuguese
PW|Palau|Republic of Palau|Palauan
PY|Paraguay|Republic of Paraguay|Paraguayan
QA|Qatar|State of Qatar|Qatari
RE|Réunion||
RO|Romania||Romanian
RS|Serbia|Republic of Serbia|Serbian;Serb
RU|Russia|Russian Federation|Russian
RW|Rwanda|Republic of Rwanda|Rwandan
SA|Saudi Arabia|Kingdom of Saudi Arabia|Saudi;Saudi Arabian
SB|Solomon Islands||Solomon Islander
SC|Seychelles|Republic of Seychelles|Seychellois
SD|Sudan|Republic of the Sudan|Sudanese
SE|Sweden|Kingdom of Sweden|Swedish;Swede
SG|Singapore|Republic of Singapore|Singaporean
SH|Saint Helena||
SI|Slovenia|Republic of Slovenia|Slovenian;Slovene
SJ|Svalbard and Jan Mayen||
SK|Slovakia|Slovak Republic|Slovak
SL|Sierra Leone|Republic of Sierra Leone|Sierra Leonean
SM|San Marino|Republic of San Marino|Sammarinese
SN|Senegal|Republic of Senegal|Senegalese
SO|Somalia|Federal Republic of Somalia|Somali
SR|Suriname|Republic of Suriname|Surinamese
SS|South Sudan|Republic of South Sudan|South Sudanese
ST|São Tomé and Príncipe|Sao Tome and Principe|
SV|El Salvador|Republic of El Salvador|Salvadoran
SX|Sint Maarten||
SY|Syria|Syrian Arab Republic|Syrian
SZ|Eswatini|Swaziland;Kingdom of Eswatini|Swazi
TC|Turks and Caicos Islands||
TD|Chad|Republic of Chad|Chadian
TF|French Southern Territories||
TG|Togo|Togolese Republic|Togolese
TH|Thailand|Kingdom of Thailand|Thai
TJ|Tajikistan|Republic of Tajikistan|Tajik;Tajikistani
TK|Tokelau||
TL|Timor-Leste|East Timor|Timorese
TM|Turkmenistan||Turkmen
TN|Tunisia|Republic of Tunisia|Tunisian
TO|Tonga|Kingdom of Tonga|Tongan
TR|Türkiye|Turkey;Republic of Türkiye|Turkish;Turk
TT|Trinidad and Tobago||Trinidadian
TV|Tuvalu||Tuvaluan
TW|Taiwan|Republic of China|Taiwanese
TZ|Tanzania|United Republic of Tanzania|Tanzanian
UA|Ukraine||Ukrainian
UG|Uganda|Republic of Uganda|Ugandan
UM|United States Minor Outlying Islands||
US|United States|US;U.S.;USA;U.S.A.;United States of America;America|American
UY|Uruguay|Oriental Republic of Uruguay|Uruguayan
UZ|Uzbekistan|Republic of Uzbekistan|Uzbek;Uzbekistani
VA|Vatican City|Holy See;Vatican|
VC|Saint Vincent and the Grenadines||Vincentian
VE|Venezuela|Bolivarian Republic of Venezuela|Venezuelan
VG|British Virgin Islands||
VI|United States Virgin Islands|US Virgin Islands|
VN|Vietnam|Viet Nam;Socialist Republic of Vietnam|Vietnamese
VU|Vanuatu|Republic of Vanuatu|Ni-Vanuatu
WF|Wallis and Futuna||
WS|Samoa|Independent State of Samoa|Samoan
YE|Yemen|Republic of Yemen|Yemeni
YT|Mayotte||
ZA|South Africa|Republic of South Africa|South African
ZM|Zambia|Republic of Zambia|Zambian
ZW|Zimbabwe|Republic of Zimbabwe|Zimbabwean
"""

# abbreviation|name|aliases;...
_ORGANISATIONS = """
UN|United Nations|U.N.;UN Security Council;United Nations Security Council
NATO|North Atlantic Treaty Organization|North Atlantic Treaty Organisation;Nato;North Atlantic Alliance
SCO|Shanghai Cooperation Organisation|Shanghai Cooperation Organization
EU|European Union|E.U.
ASEAN|Association of Southeast Asian Nations|Asean
APEC|Asia-Pacific Economic Cooperation|Asia Pacific Economic Cooperation
CSTO|Collective Security Treaty Organization|Collective Security Treaty Organisation
CIS|Commonwealth of Independent States|
BRICS|BRICS|
OSCE|Organization for Security and Co-operation in Europe|Organisation for Security and Co-operation in Europe
AU|African Union|
OPEC|Organization of the Petroleum Exporting Countries|
WTO|World Trade Organization|World Trade Organisation
IAEA|International Atomic Energy Agency|
GCC|Gulf Cooperation Council|Cooperation Council for the Arab States of the Gulf
Arab League|League of Arab States|Arab League
OAS|Organization of American States|
EAEU|Eurasian Economic Union|EEU
IMF|International Monetary Fund|
G7|Group of Seven|G-7
G20|Group of Twenty|G-20
ECOWAS|Economic Community of West African States|
CICA|Conference on Interaction and Confidence-Building Measures in Asia|
Xinhua|Xinhua News Agency|Xinhua
TASS|TASS|ITAR-TASS;Tass
RIA Novosti|RIA Novosti|RIA
Interfax|Interfax|
KCNA|Korean Central News Agency|
Yonhap|Yonhap News Agency|Yonhap
IRNA|Islamic Republic News Agency|
Anadolu|Anadolu Agency|Anadolu
Reuters|Reuters|
AFP|Agence France-Presse|
"""

# Demonyms whose plural is the word itself or irregular; the rest take an s.
_NO_PLURAL = ("ese", "ss", "sh", "ch", "s", "x", "z", "Lao", "Basotho", "Batswana")


def _plural(demonym: str) -> tuple[str, ...]:
    if demonym.endswith(_NO_PLURAL) or demonym.endswith("men") or demonym == "Motswana":
        return (demonym,)
    if demonym.endswith("man"):
        return (demonym,)  # "Frenchman": its plural is listed
    return (demonym, demonym + "s")


def _split(field: str) -> tuple[str, ...]:
    return tuple(part for part in field.split(";") if part)


@functools.cache
def entries() -> tuple[Entry, ...]:
    """Every state, then every organisation."""
    found: list[Entry] = []
    for line in _STATES.strip().splitlines():
        code, name, aliases, demonyms = line.split("|")
        plural = tuple(w for d in _split(demonyms) for w in _plural(d))
        found.append(Entry("state", code, name, _split(aliases), tuple(dict.fromkeys(plural))))
    for line in _ORGANISATIONS.strip().splitlines():
        code, name, aliases = line.split("|")
        names = tuple(n for n in (code, *_split(aliases)) if n != name)
        found.append(Entry("organisation", code, name, tuple(dict.fromkeys(names)), ()))
    return tuple(found)


@functools.cache
def by_word() -> dict[str, tuple[Entry, ...]]:
    """Each name, alias and demonym (as written: matching is case-sensitive) to its entries;
    a demonym may belong to two states ("Congolese")."""
    found: dict[str, list[Entry]] = {}
    for entry in entries():
        for word in (*entry.names, *entry.demonyms):
            bucket = found.setdefault(word, [])
            if entry not in bucket:
                bucket.append(entry)
    return {word: tuple(bucket) for word, bucket in found.items()}


def state(code: str) -> Entry | None:
    """The state of an ISO 3166-1 alpha-2 code."""
    return next((e for e in entries() if e.kind == "state" and e.code == code), None)


def lookup(word: str) -> tuple[Entry, ...]:
    """The states and organisations a name, alias or demonym is of (case-sensitive)."""
    return by_word().get(word, ())
