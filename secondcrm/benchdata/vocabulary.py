"""The words generated records are made of: people's names, company names, places, job titles and the phrases of
comments and next steps. Names follow a company selling across South-East Asia and the Pacific, as the demo does.

Surnames are drawn with weights that fall with their rank, as in a real customer base: a few are everywhere
("Tan", "Nguyen"), most are seen a few hundred times in a million, so searches meet both kinds."""

FIRST_NAMES = (
    "Wei", "Jun", "Hui", "Ming", "Li", "Xin", "Yi", "Jia", "Kai", "Zhi", "Mei", "Ling", "Hao", "Yan", "Chen",
    "Siti", "Nur", "Ahmad", "Muhammad", "Aisyah", "Farah", "Hafiz", "Aziz", "Rahman", "Putri", "Dewi", "Budi",
    "Agus", "Sri", "Wayan", "Made", "Rizal", "Indra", "Ayu", "Priya", "Arjun", "Rahul", "Anjali", "Deepak",
    "Kavya", "Vikram", "Lakshmi", "Ravi", "Sanjay", "Meera", "Anand", "Somchai", "Niran", "Kanya", "Malee",
    "Anh", "Minh", "Linh", "Thao", "Hoang", "Trang", "Duc", "Maria", "Jose", "Angelica", "Mark", "Carlo",
    "Kristine", "Paolo", "Hiroshi", "Yuki", "Kenji", "Sakura", "Takeshi", "Aiko", "Min-jun", "Seo-yeon",
    "Ji-ho", "James", "John", "Robert", "Michael", "David", "William", "Richard", "Thomas", "Daniel", "Matthew",
    "Andrew", "Joshua", "Ryan", "Benjamin", "Samuel", "Nathan", "Oliver", "Jack", "Liam", "Noah", "Lucas",
    "Ethan", "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah",
    "Karen", "Nancy", "Emily", "Emma", "Olivia", "Sophie", "Chloe", "Charlotte", "Grace", "Hannah", "Isabella",
    "Amelia", "Zoe", "Ruby", "Lily", "Hans", "Anna", "Lukas", "Lena", "Pierre", "Camille", "Luca", "Giulia",
    "Pablo", "Lucia", "Ivan", "Olga", "Fatima", "Omar", "Layla", "Yusuf",
)  # fmt: skip

LAST_NAMES = (
    "Tan", "Lim", "Lee", "Ng", "Wong", "Chan", "Goh", "Chua", "Ong", "Koh", "Teo", "Ang", "Yeo", "Tay", "Ho",
    "Low", "Toh", "Sim", "Chong", "Chia", "Nguyen", "Tran", "Le", "Pham", "Hoang", "Phan", "Vu", "Dang",
    "Bui", "Do", "Kumar", "Singh", "Sharma", "Patel", "Gupta", "Reddy", "Nair", "Menon", "Iyer", "Pillai",
    "Rao", "Das", "Abdullah", "Ibrahim", "Ismail", "Hassan", "Rahman", "Osman", "Yusof", "Hamid", "Santoso",
    "Wijaya", "Susanto", "Halim", "Gunawan", "Setiawan", "Hartono", "Kusuma", "Saputra", "Pratama",
    "Santos", "Reyes", "Cruz", "Bautista", "Garcia", "Mendoza", "Ramos", "Aquino", "Villanueva", "Fernandez",
    "Suzuki", "Tanaka", "Watanabe", "Takahashi", "Yamamoto", "Nakamura", "Kobayashi", "Kato", "Sato", "Ito",
    "Kim", "Park", "Choi", "Jung", "Kang", "Yoon", "Jang", "Cho", "Srisuk", "Wongsakul", "Chaiyaporn",
    "Saelim", "Boonmee", "Smith", "Jones", "Williams", "Brown", "Taylor", "Wilson", "Johnson", "Davies",
    "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood",
    "Jackson", "Clarke", "Martin", "Anderson", "Mitchell", "Campbell", "Kelly", "Murphy", "O'Brien",
    "Sullivan", "Fraser", "MacDonald", "Stewart", "Morrison", "Baker", "Turner", "Parker", "Collins",
    "Edwards", "Morgan", "Cooper", "Bennett", "Hughes", "Price", "Müller", "Schmidt", "Schneider", "Fischer",
    "Weber", "Meyer", "Wagner", "Becker", "Dubois", "Lefebvre", "Moreau", "Laurent", "Rossi", "Russo",
    "Ferrari", "Esposito", "Bianchi", "Romano", "Lopez", "Martinez", "Gonzalez", "Rodriguez", "Sanchez",
    "Perez", "Silva", "Pereira", "Costa", "Oliveira", "Ivanov", "Petrov", "Kowalski", "Nowak", "Jansen",
    "de Vries", "van Dijk", "Bakker", "Andersen", "Nielsen", "Hansen", "Larsen", "Johansson", "Karlsson",
    "Nilsson", "Eriksson", "Abernathy", "Quennell", "Vasquez-Ortega", "Featherstonehaugh", "Okonkwo",
    "Adeyemi", "Mensah", "Haddad", "Khoury", "Nakashima", "Thorvaldsen", "Zielinski", "Papadopoulos",
)  # fmt: skip

SALUTATIONS = ("Mr.", "Ms.", "Mrs.", "Dr.", "Prof.")

# Company names are a stem and a kind ("Meridian Logistics"), sometimes with a region ("Meridian Logistics Asia").
COMPANY_STEMS = (
    "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Tyrell", "Cyberdyne", "Soylent",
    "Meridian", "Northwind", "Bluewater", "Redstone", "Silverline", "Greenfield", "Summit", "Pinnacle",
    "Horizon", "Harbourfront", "Lotus", "Orchid", "Merlion", "Banyan", "Tembusu", "Rafflesia", "Monsoon",
    "Equator", "Straits", "Archipelago", "Coral", "Mangrove", "Sampan", "Jade", "Pearl", "Saffron",
    "Cinnamon", "Nutmeg", "Teak", "Bamboo", "Kestrel", "Falcon", "Heron", "Kingfisher", "Hornbill", "Tiger",
    "Dragon", "Phoenix", "Lion", "Panda", "Orca", "Marlin", "Atlas", "Zenith", "Apex", "Vertex", "Nexus",
    "Quantum", "Vector", "Helix", "Matrix", "Vortex", "Fusion", "Nova", "Stellar", "Solaris", "Lumen",
    "Aurora", "Polaris", "Sirius", "Orion", "Vega", "Altair", "Cobalt", "Titanium", "Granite", "Basalt",
    "Obsidian", "Ironbark", "Eucalypt", "Wattle", "Kookaburra", "Billabong", "Outback", "Southern Cross",
    "Tasman", "Coralsea", "Mekong", "Irrawaddy", "Chao Phraya", "Borneo", "Sumatra", "Java", "Bali",
    "Luzon", "Mindanao", "Penang", "Malacca", "Sentosa", "Kallang", "Tampines", "Jurong", "Changi", "Bukit",
    "Orchard", "Marina", "Keppel", "Clementi", "Serangoon", "Novena", "Tanjong", "Pasir", "Katong",
    "Brightwater", "Clearview", "Fairway", "Goldcrest", "Highgate", "Ironside", "Lakeshore", "Maplewood",
    "Oakridge", "Riverside", "Stonebridge", "Westbrook", "Ashford", "Bramble", "Copperleaf", "Driftwood",
    "Evergreen", "Foxglove", "Hollowell", "Juniper", "Larkspur", "Moorland", "Nettlefield", "Primrose",
    "Quillon", "Rowan", "Sorrel", "Thistle", "Willowby", "Yarrow", "Zephyr", "Norvex", "Talvora", "Quintara",
    "Veltrix", "Oranda", "Kelvara", "Brisa", "Calyx", "Dynamo", "Ember", "Fathom", "Glint", "Hearth",
)  # fmt: skip

COMPANY_KINDS = (
    "Trading", "Holdings", "Logistics", "Foods", "Labs", "Partners", "Systems", "Marine", "Retail", "Energy",
    "Technologies", "Solutions", "Consulting", "Engineering", "Industries", "Manufacturing", "Healthcare",
    "Pharma", "Capital", "Ventures", "Networks", "Media", "Construction", "Properties", "Hospitality",
    "Shipping", "Electronics", "Textiles", "Agritech", "Biotech",
)  # fmt: skip

COMPANY_REGIONS = ("Asia", "Pacific", "International", "Singapore", "Global", "Group")

# Where the companies and people are: city, state or region, country, telephone country code, postal code digits.
PLACES = (
    ("Singapore", "", "Singapore", "+65", 6),
    ("Kuala Lumpur", "Wilayah Persekutuan", "Malaysia", "+60", 5),
    ("Penang", "Pulau Pinang", "Malaysia", "+60", 5),
    ("Johor Bahru", "Johor", "Malaysia", "+60", 5),
    ("Jakarta", "DKI Jakarta", "Indonesia", "+62", 5),
    ("Surabaya", "Jawa Timur", "Indonesia", "+62", 5),
    ("Bandung", "Jawa Barat", "Indonesia", "+62", 5),
    ("Denpasar", "Bali", "Indonesia", "+62", 5),
    ("Bangkok", "Bangkok", "Thailand", "+66", 5),
    ("Chiang Mai", "Chiang Mai", "Thailand", "+66", 5),
    ("Manila", "Metro Manila", "Philippines", "+63", 4),
    ("Cebu City", "Cebu", "Philippines", "+63", 4),
    ("Ho Chi Minh City", "", "Vietnam", "+84", 6),
    ("Hanoi", "", "Vietnam", "+84", 6),
    ("Da Nang", "", "Vietnam", "+84", 6),
    ("Phnom Penh", "", "Cambodia", "+855", 5),
    ("Yangon", "Yangon Region", "Myanmar", "+95", 5),
    ("Hong Kong", "", "Hong Kong", "+852", 0),
    ("Shanghai", "Shanghai", "China", "+86", 6),
    ("Shenzhen", "Guangdong", "China", "+86", 6),
    ("Taipei", "", "Taiwan", "+886", 3),
    ("Tokyo", "Tokyo", "Japan", "+81", 7),
    ("Osaka", "Osaka", "Japan", "+81", 7),
    ("Seoul", "", "South Korea", "+82", 5),
    ("Mumbai", "Maharashtra", "India", "+91", 6),
    ("Bengaluru", "Karnataka", "India", "+91", 6),
    ("Chennai", "Tamil Nadu", "India", "+91", 6),
    ("Dubai", "", "United Arab Emirates", "+971", 0),
    ("Sydney", "NSW", "Australia", "+61", 4),
    ("Melbourne", "VIC", "Australia", "+61", 4),
    ("Brisbane", "QLD", "Australia", "+61", 4),
    ("Perth", "WA", "Australia", "+61", 4),
    ("Auckland", "", "New Zealand", "+64", 4),
    ("London", "", "United Kingdom", "+44", 0),
    ("Amsterdam", "Noord-Holland", "Netherlands", "+31", 4),
    ("Frankfurt", "Hessen", "Germany", "+49", 5),
    ("San Francisco", "CA", "United States", "+1", 5),
    ("New York", "NY", "United States", "+1", 5),
    ("Ulaanbaatar", "", "Mongolia", "+976", 5),
)
# Most customers are near home: the first places are drawn more often than the last.
PLACE_WEIGHTS = tuple(1 / (rank + 1) ** 0.7 for rank in range(len(PLACES)))

STREETS = (
    "Raffles Place", "Orchard Road", "Shenton Way", "Cecil Street", "Robinson Road", "Anson Road",
    "Jalan Ampang", "Jalan Sultan Ismail", "Jalan Sudirman", "Jalan Thamrin", "Sukhumvit Road", "Silom Road",
    "Ayala Avenue", "Nguyen Hue Boulevard", "Le Loi Street", "George Street", "Collins Street",
    "Queen Street", "Nathan Road", "Marine Parade", "Beach Road", "Harbour Drive", "Science Park Drive",
    "Changi Business Park", "Tuas Avenue", "Kallang Way", "Ubi Avenue", "Tai Seng Street",
)  # fmt: skip

TITLES = (
    "Chief Executive Officer", "Chief Financial Officer", "Chief Operating Officer", "Chief Technology Officer",
    "Managing Director", "General Manager", "Sales Director", "Head of Procurement", "Purchasing Manager",
    "Operations Manager", "IT Manager", "Finance Manager", "Marketing Manager", "Product Manager",
    "Project Manager", "Business Development Manager", "Account Manager", "Office Manager", "Engineer",
    "Senior Engineer", "Analyst", "Consultant", "Buyer", "Executive Assistant", "HR Manager",
    "Logistics Coordinator", "Facilities Manager", "Regional Director", "Vice President, Sales", "Founder",
)  # fmt: skip

DEPARTMENTS = (
    "Sales", "Procurement", "Finance", "Operations", "IT", "Marketing", "Human Resources", "Engineering",
    "Logistics", "Management",
)  # fmt: skip

# What a potential is about: "<account> - <need>".
NEEDS = (
    "Annual maintenance contract", "Fleet renewal", "CRM rollout", "Warehouse automation", "Cloud migration",
    "Office fit-out", "Security audit", "Staff training programme", "Spare parts supply", "Network upgrade",
    "Cold chain expansion", "Solar installation", "ERP integration", "Packaging redesign", "Data centre lease",
    "Managed print services", "Point-of-sale refresh", "Logistics outsourcing", "Consulting retainer",
    "Regional distribution deal", "Pilot project", "Framework agreement", "Licence renewal", "Upsell: premium tier",
)  # fmt: skip

NEXT_STEPS = (
    "Send proposal", "Schedule demo", "Follow up call", "Site visit", "Send revised quote", "Negotiate terms",
    "Meet decision makers", "Prepare contract", "Technical workshop", "Reference call", "Await budget approval",
    "Legal review", "Sign contract", "Kick-off meeting", "Trial feedback",
)  # fmt: skip

# Comments on records; "{name}" is a person of the record or its owner, "{day}" a weekday.
COMMENTS = (
    "Called {name}, asked to call back on {day}.",
    "Left a voicemail for {name}.",
    "Sent the brochure and price list by email.",
    "{name} confirmed the budget is approved for this quarter.",
    "Met {name} at the trade show; interested in a demo.",
    "Requested a revised quote with volume discount.",
    "Waiting for the purchase order from procurement.",
    "{name} is on leave until {day}.",
    "Competitor offered a lower price; need to discuss with the manager.",
    "Demo went well, they want a trial for two weeks.",
    "Asked for references from customers in the same industry.",
    "Contract sent for signature.",
    "Payment terms agreed: 30 days.",
    "Follow up after the board meeting on {day}.",
    "{name} moved to another department, new contact to be confirmed.",
    "Invoice address changed, see billing address.",
    "Shortlisted with two other vendors.",
    "Delivery scheduled for {day}.",
    "Customer reported an issue with the last delivery; resolved.",
    "Renewal due next month, send reminder.",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")

# Words of custom text fields, for the custom fields an admin added before generating.
CUSTOM_WORDS = (
    "priority", "standard", "gold", "silver", "bronze", "north", "south", "east", "west", "central", "key account",
    "strategic", "partner", "reseller", "direct", "online", "referral", "renewal", "pilot", "enterprise",
)  # fmt: skip
