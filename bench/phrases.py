"""Swedish phrase bank for the synthetic corpus: focus areas, commitments, people, forums.

Real agreements reuse a small vocabulary of problem areas and a few ways of saying who does
what; the bank mirrors that, with enough variation (verbs, objects, qualifiers) that no two
generated agreements read alike and search has realistic repetition and boilerplate.
"""

from __future__ import annotations

# Focus area -> (descriptions, municipality commitments, police commitments, joint commitments,
# goals). Commitments are verb phrases in the infinitive: they follow "förbinder sig att".
FOCUS_AREAS: dict[str, dict[str, tuple[str, ...]]] = {
    "Trygghet i offentliga miljöer": {
        "description": (
            "De offentliga miljöerna ska vara trygga platser för invånare och besökare. Torg, "
            "parker och stationsområden ska upplevas trygga under dygnets alla timmar.",
            "Otryggheten i centrum och kring resecentrum har ökat enligt den lokala "
            "trygghetsmätningen. Parterna vill gemensamt vända utvecklingen.",
        ),
        "kommun": (
            "genomföra trygghetsvandringar i samtliga kommundelar",
            "inkludera trygghetsaspekten i samhällsplaneringen och byggprocessen",
            "åtgärda brister i belysning och röjning av buskage inom två veckor",
            "samordna arbetet med ordningsvakter i centrala delar",
            "ansvara för kameraövervakning vid resecentrum i enlighet med gällande tillstånd",
            "utveckla platssamverkan med fastighetsägare och näringsidkare",
        ),
        "polis": (
            "vara synlig i centrum under helger och vid evenemang",
            "delta i trygghetsvandringar och bidra med lägesbild",
            "genomföra riktade insatser mot ordningsstörningar på allmän plats",
            "bistå kommunen i arbetet med kameraövervakning",
            "prioritera närvaro vid platser som pekas ut i den gemensamma lägesbilden",
        ),
        "gemensam": (
            "ta fram en gemensam lägesbild över otrygga platser varje kvartal",
            "genomföra en årlig trygghetsmätning och analysera resultatet",
            "kommunicera genomförda insatser till allmänheten",
        ),
        "goals": (
            "Andelen invånare som känner sig trygga i centrum ska öka",
            "Antalet anmälda ordningsstörningar på allmän plats ska minska",
        ),
    },
    "Kriminella nätverk": {
        "description": (
            "Kriminella nätverk påverkar lokalsamhället genom våld, hot och rekrytering av unga. "
            "Parterna ska gemensamt försvåra för nätverken att verka i kommunen.",
            "Den organiserade brottsligheten ska bekämpas med samhällets samlade kraft, där "
            "kommunens och polisens åtgärder förstärker varandra.",
        ),
        "kommun": (
            "motverka att offentliga medel betalas ut till kriminella aktörer",
            "genomföra granskning av tillstånd och upphandlingar",
            "erbjuda avhopparverksamhet för individer som vill lämna en kriminell livsstil",
            "utse en kontaktperson för informationsdelning om organiserad brottslighet",
        ),
        "polis": (
            "dela relevant information om kriminella nätverk inom ramen för sekretessen",
            "prioritera utredningar som rör rekrytering av barn till kriminalitet",
            "genomföra riktade insatser mot nyckelpersoner i nätverken",
            "stödja kommunen i arbetet mot välfärdsbrott",
        ),
        "gemensam": (
            "samverka mot organiserad brottslighet i myndighetsgemensamma insatser",
            "utveckla arbetet med Sluta skjut och gruppvåldsintervention",
            "följa upp läget i utsatta områden två gånger per år",
        ),
        "goals": (
            "Rekryteringen till kriminella nätverk ska minska",
            "Inga områden i kommunen ska klassas som utsatta områden",
        ),
    },
    "Narkotika": {
        "description": (
            "Narkotikan är en drivkraft bakom mycket annan brottslighet. Tillgången till narkotika "
            "ska minska och fler unga ska få stöd tidigt.",
        ),
        "kommun": (
            "samordna insatser inom ANDT",
            "erbjuda stöd och behandling till unga med missbruk",
            "genomföra tillsyn av serveringsställen tillsammans med polisen",
            "utbilda personal i skola och fritid om tidiga tecken på narkotikabruk",
        ),
        "polis": (
            "bedriva ett aktivt arbete mot narkotikaförsäljning på gatunivå",
            "genomföra insatser mot ungdomar som är på väg in i missbruk",
            "delta i gemensam tillsyn av serveringsställen",
            "informera skolor om aktuell narkotikasituation",
        ),
        "gemensam": (
            "arbeta enligt metoden Krogar mot narkotika",
            "ta fram en gemensam lägesbild om narkotika i skolmiljön",
        ),
        "goals": ("Andelen unga som provat narkotika ska minska",),
    },
    "Våld i nära relationer": {
        "description": (
            "Våld i nära relationer drabbar kvinnor, män och barn. Parterna ska samverka så att "
            "den som utsätts får skydd och stöd och att våldet upphör.",
        ),
        "kommun": (
            "erbjuda stöd till våldsutsatta och deras barn",
            "utbilda medarbetare i att ställa frågor om våld",
            "erbjuda behandling till den som utövar våld",
            "samordna arbetet med hedersrelaterat våld och förtryck",
        ),
        "polis": (
            "säkerställa att brottsofferstöd erbjuds vid varje anmälan",
            "prioritera utredningar av våld i nära relationer",
            "delta i kommunens samverkansgrupp mot våld i nära relationer",
        ),
        "gemensam": (
            "genomföra gemensamma utbildningsinsatser om våld i nära relationer",
            "utveckla rutiner för orosanmälningar när barn bevittnat våld",
        ),
        "goals": ("Fler våldsutsatta ska få stöd tidigt",),
    },
    "Ungdomar i riskzon": {
        "description": (
            "Samarbeten och insatser riktade till barn och unga i riskzonen ska intensifieras för "
            "att förhindra att ungdomar utvecklar kriminella beteenden.",
            "Barn och unga ska ha meningsfulla alternativ och vuxna förebilder i sin närmiljö.",
        ),
        "kommun": (
            "samordna arbetet med SSPF (skola, socialtjänst, polis, fritid)",
            "erbjuda meningsfull fritid under lov och helger",
            "fokusera på tidiga insatser och våldspreventiva strategier riktade till barn och unga",
            "utveckla föräldrastöd för familjer med barn i riskzon",
            "samordna och utveckla arbetet vid kritiska datum och evenemang",
        ),
        "polis": (
            "delta i arbetet med SSPF (skola, socialtjänst, polis, fritid)",
            "vara en aktiv part i det förebyggande arbetet i skolmiljöer",
            "genomföra orossamtal tillsammans med socialtjänsten",
            "vara en aktiv part i arbetet vid kritiska datum och evenemang",
        ),
        "gemensam": (
            "följa upp ungdomar som lagförts för brott inom ramen för SSPF",
            "genomföra gemensamma insatser vid skolavslutningar och valborg",
        ),
        "goals": (
            "Antalet unga som misstänks för brott ska minska",
            "Fler unga ska fullfölja sin skolgång",
        ),
    },
    "Trafik": {
        "description": (
            "Trafiksäkerheten är en viktig del av tryggheten i vardagen, särskilt kring skolor "
            "och i bostadsområden.",
        ),
        "kommun": (
            "genomföra trafiksäkerhetshöjande åtgärder kring skolor",
            "rapportera platser med upprepade hastighetsöverträdelser till polisen",
        ),
        "polis": (
            "genomföra hastighetskontroller vid skolor och i bostadsområden",
            "prioritera kontroller av rattfylleri",
            "bidra med olycksstatistik till kommunens trafikplanering",
        ),
        "gemensam": ("genomföra en årlig kampanj för säker skolväg",),
        "goals": ("Antalet skadade i trafiken ska minska",),
    },
    "Bedrägerier mot äldre": {
        "description": (
            "Äldre utsätts i ökande grad för bedrägerier via telefon och på nätet. Kunskap och "
            "uppmärksamhet är det bästa skyddet.",
        ),
        "kommun": (
            "informera hemtjänstens personal om hur bedrägerier går till",
            "sprida information om bedrägerier via kommunens kanaler och träffpunkter",
        ),
        "polis": (
            "genomföra informationsträffar om bedrägerier för pensionärsföreningar",
            "ta emot anmälningar om bedrägerier på plats vid träffpunkter",
        ),
        "gemensam": (
            "genomföra en gemensam kampanj mot bedrägerier riktade mot äldre",
            "samverka med banker och civilsamhälle för att nå äldre",
        ),
        "goals": ("Antalet fullbordade bedrägerier mot äldre ska minska",),
    },
    "Skadegörelse": {
        "description": (
            "Skadegörelse och klotter skapar otrygghet och kostar stora belopp varje år.",
        ),
        "kommun": (
            "sanera klotter inom 24 timmar",
            "polisanmäla all skadegörelse på kommunens fastigheter",
            "samordna arbetet med fastighetsägare mot skadegörelse",
        ),
        "polis": (
            "utreda anmäld skadegörelse med hög prioritet",
            "genomföra riktade insatser vid återkommande skadegörelse",
        ),
        "gemensam": ("följa upp skadegörelsen i den gemensamma lägesbilden varje månad",),
        "goals": ("Kostnaderna för skadegörelse ska minska",),
    },
    "Hamnen och sjöfarten": {
        "description": (
            "Hamnen är en viktig knutpunkt där gods och människor passerar. Brott i hamnen "
            "påverkar hela regionen.",
        ),
        "kommun": (
            "säkerställa skalskydd och belysning i hamnområdet",
            "samverka med hamnbolaget om tillträdesskydd",
        ),
        "polis": (
            "genomföra kontroller av tunga transporter i hamnen",
            "samverka med Tullverket och Kustbevakningen om smuggling",
        ),
        "gemensam": ("upprätta en gemensam lägesbild för hamnområdet",),
        "goals": ("Smugglingen via hamnen ska försvåras",),
    },
    "Alkohol och langning": {
        "description": (
            "Langning av alkohol till minderåriga förekommer särskilt vid skolavslutningar och "
            "högtider.",
        ),
        "kommun": (
            "genomföra tillsyn av försäljning av folköl och tobak",
            "informera föräldrar om langning inför sommarlovet",
        ),
        "polis": (
            "genomföra insatser mot langning vid skolavslutningar",
            "beslagta alkohol från minderåriga och underrätta vårdnadshavare",
        ),
        "gemensam": ("genomföra föräldravandringar tillsammans med civilsamhället",),
        "goals": ("Ungas alkoholdebut ska skjutas upp",),
    },
    "Brott i skolmiljön": {
        "description": (
            "Skolan ska vara en trygg plats. Hot, våld och stölder i skolmiljön ska förebyggas "
            "och hanteras skyndsamt.",
        ),
        "kommun": (
            "polisanmäla brott som begås i skolan",
            "utveckla rutiner för hot och våld i skolmiljön",
        ),
        "polis": (
            "utse kontaktpoliser för varje skola",
            "delta i skolornas trygghetsråd",
        ),
        "gemensam": ("genomföra en gemensam övning vid hot mot skola",),
        "goals": ("Fler elever ska känna sig trygga i skolan",),
    },
    "Våldsbejakande extremism": {
        "description": (
            "Våldsbejakande extremism hotar demokratin. Kunskap och samordning är avgörande för "
            "att förebygga radikalisering.",
        ),
        "kommun": (
            "utse en samordnare mot våldsbejakande extremism",
            "utbilda medarbetare om radikalisering",
        ),
        "polis": (
            "dela lägesbild om våldsbejakande extremism med kommunens samordnare",
            "bistå vid orosanmälningar om radikalisering",
        ),
        "gemensam": ("ta fram en gemensam rutin för orosanmälningar om extremism",),
        "goals": ("Ingen ska radikaliseras till våldsbejakande extremism",),
    },
    "Bostadsinbrott": {
        "description": (
            "Bostadsinbrott skapar stor otrygghet. Grannsamverkan har visat sig vara en "
            "effektiv metod.",
        ),
        "kommun": (
            "stödja grannsamverkan i alla kommundelar",
            "informera nyinflyttade om hur man skyddar sin bostad",
        ),
        "polis": (
            "ansvara för utbildning av kontaktombud i grannsamverkan",
            "sprida information om inbrottsvågor i närområdet",
        ),
        "gemensam": ("genomföra en årlig grannsamverkansdag",),
        "goals": ("Antalet bostadsinbrott ska minska",),
    },
}

QUALIFIERS = (
    "", "", "", "", " under hela avtalsperioden", " i samverkan med civilsamhället",
    " minst två gånger per år", " utifrån den gemensamma lägesbilden",
    " inom ramen för ordinarie verksamhet", " i första hand i centrala delar av kommunen",
)

GENERAL_COMMITMENTS = {
    "kommun": (
        "utse en samordnare för det brottsförebyggande arbetet",
        "avsätta resurser för att genomföra överenskommelsen",
    ),
    "polis": (
        "utse en kommunpolis som kontaktperson för kommunen",
        "delge kommunen en lokal lägesbild varje månad",
    ),
    "gemensam": (
        "arbeta enligt modellen Effektiv samordning för trygghet (EST)",
        "genomföra en gemensam medborgardialog varje år",
    ),
}

BACKGROUNDS = (
    "Kommunen och polisen har ett gemensamt ansvar för att förebygga brott och öka tryggheten. "
    "Överenskommelsen bygger på en gemensam lokal lägesbild som tagits fram under hösten.",
    "Samverkansöverenskommelsen ska ligga till grund för det brottsförebyggande och "
    "trygghetsfrämjande arbetet och verka för minskad brottslighet och ökad trygghet.",
    "Parterna har sedan flera år ett nära samarbete. Denna överenskommelse tydliggör "
    "prioriteringar och ansvar för den kommande perioden.",
)

PURPOSES = (
    "Syftet med överenskommelsen är att minska brottsligheten och öka tryggheten för alla som "
    "bor, verkar och vistas i kommunen.",
    "Överenskommelsen syftar till att samordna parternas resurser där de gör störst nytta.",
)

FOLLOW_UPS = (
    "Överenskommelsen följs upp av styrgruppen två gånger per år. En skriftlig uppföljning "
    "görs inför varje ny period.",
    "Uppföljning sker årligen i kommunstyrelsen och i lokalpolisområdets ledningsgrupp.",
)

FORUMS = (
    ("Styrgrupp", "kommundirektör och lokalpolisområdeschef", "minst två gånger per år"),
    ("Brottsförebyggande rådet", "förvaltningschefer, kommunpolis och civilsamhälle",
     "fyra gånger per år"),
    ("Operativ samverkansgrupp", "samordnare och kommunpolis", "varje vecka"),
)

EXTENSIONS = (
    "Överenskommelsen kan förlängas med ett år i taget efter samråd mellan parterna.",
    "Överenskommelsen kan förlängas med två år i taget efter samråd mellan parterna. Samråd "
    "ska ha skett senast sex månader före giltighetstidens utgång.",
)

FIRST_NAMES = (
    "Anna", "Maria", "Karin", "Eva", "Lena", "Kerstin", "Ingrid", "Sara", "Emma", "Johanna",
    "Lars", "Mikael", "Anders", "Johan", "Per", "Erik", "Karl", "Peter", "Jan", "Fredrik",
    "Åsa", "Märta", "Björn", "Göran", "Örjan", "Ulf", "Helén", "Jönsi", "Lars-Gunnar", "Ann-Sofie",
)

SURNAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Lindberg", "Lindström",
    "Bergström", "Åberg", "Öberg", "Hägglund", "Sjöberg", "Ekström", "Björk", "Dahlén",
    "Wallin", "Holmqvist", "Fält",
)

MUNICIPAL_TITLES = ("Kommunstyrelsens ordförande", "Kommundirektör", "Kommunalråd")
POLICE_TITLES = {
    "lokalpolisområde": ("Lokalpolisområdeschef", "Chef för lokalpolisområdet"),
    "polisområde": ("Polisområdeschef",),
}

# Police regions by county code (Polismyndigheten's seven regions).
POLICE_REGIONS = {
    "01": "Stockholm", "09": "Stockholm", "03": "Mitt", "19": "Mitt", "21": "Mitt",
    "04": "Öst", "05": "Öst", "06": "Öst", "07": "Syd", "08": "Syd", "10": "Syd", "12": "Syd",
    "13": "Väst", "14": "Väst", "17": "Bergslagen", "18": "Bergslagen", "20": "Bergslagen",
    "22": "Nord", "23": "Nord", "24": "Nord", "25": "Nord",
}
