"""Word pools for realistic catalog names: product kinds, brands, categories, options."""

from __future__ import annotations

# ruff: noqa: E501

# (department, subcategories, product nouns with their SKU prefix, price range in dollars,
#  weight range in pounds)
Department = tuple[str, tuple[str, ...], tuple[tuple[str, str], ...], int, int, float, float]
DEPARTMENTS: tuple[Department, ...] = (
    ("Apparel", ("Shirts", "Outerwear", "Accessories"),
     (("T-Shirt", "TSH"), ("Hoodie", "HOD"), ("Rain Jacket", "JKT"), ("Scarf", "SCF"), ("Beanie", "BNE")),
     12, 180, 0.2, 2.5),
    ("Home & Kitchen", ("Cookware", "Tableware", "Storage"),
     (("Skillet", "SKL"), ("Dutch Oven", "DOV"), ("Mug", "MUG"), ("Serving Bowl", "BWL"), ("Pantry Jar", "JAR")),
     8, 260, 0.3, 12.0),
    ("Furniture", ("Living Room", "Office", "Outdoor"),
     (("Side Table", "TBL"), ("Desk Chair", "CHR"), ("Bookshelf", "SHF"), ("Bench", "BCH"), ("Lounge Chair", "LNG")),
     45, 1200, 4.0, 60.0),
    ("Sports & Outdoors", ("Camping", "Fitness", "Cycling"),
     (("Tent", "TNT"), ("Yoga Mat", "YGM"), ("Water Bottle", "BTL"), ("Bike Light", "BKL"), ("Backpack", "BPK")),
     9, 480, 0.1, 8.0),
    ("Electronics", ("Audio", "Accessories", "Smart Home"),
     (("Headphones", "HPH"), ("USB-C Cable", "CBL"), ("Speaker", "SPK"), ("Smart Plug", "PLG"), ("Charger", "CHG")),
     10, 650, 0.05, 4.0),
    ("Beauty", ("Skincare", "Hair", "Fragrance"),
     (("Face Serum", "SRM"), ("Shampoo", "SHP"), ("Hand Cream", "HCR"), ("Eau de Parfum", "EDP"), ("Lip Balm", "LPB")),
     5, 140, 0.05, 1.0),
    ("Toys & Games", ("Puzzles", "Board Games", "Plush"),
     (("Jigsaw Puzzle", "PZL"), ("Board Game", "BRD"), ("Plush Bear", "PLS"), ("Building Set", "BLD"), ("Card Game", "CRD")),
     6, 120, 0.1, 3.0),
    ("Garden", ("Planters", "Tools", "Seeds"),
     (("Planter", "PLT"), ("Pruning Shears", "PRN"), ("Watering Can", "WTR"), ("Seed Kit", "SED"), ("Trowel", "TRW")),
     4, 220, 0.05, 15.0),
)  # fmt: skip

LEAF_WORDS = ("Essentials", "Premium", "Sale", "New Arrivals", "Eco", "Kids")

ADJECTIVES = (
    "Classic", "Rustic", "Modern", "Vintage", "Everyday", "Deluxe", "Compact", "Heritage",
    "Urban", "Coastal", "Alpine", "Nordic", "Minimal", "Bold", "Soft", "Sturdy",
)  # fmt: skip
MATERIALS = (
    "Oak", "Walnut", "Cotton", "Linen", "Wool", "Steel", "Ceramic", "Bamboo", "Leather",
    "Canvas", "Copper", "Glass", "Cork", "Recycled", "Organic", "Merino",
)  # fmt: skip

BRAND_PARTS_A = (
    "North", "Blue", "Iron", "Silver", "Red", "Green", "Bright", "Stone", "Wild", "Golden",
    "Maple", "Harbor", "Cedar", "River", "Summit", "Pine", "Copper", "Fox", "Owl", "Bear",
)  # fmt: skip
BRAND_PARTS_B = (
    "Peak", "Works", "Goods", "Supply", "Craft", "Co", "Labs", "Outfitters", "Studio",
    "Trading", "House", "& Sons", "Collective", "Company", "Makers",
)  # fmt: skip

COLORS = (("Black", "BLK", "000000"), ("White", "WHT", "FFFFFF"), ("Navy", "NVY", "1F2A44"),
          ("Red", "RED", "C0392B"), ("Olive", "OLV", "6B8E23"), ("Grey", "GRY", "808080"),
          ("Sand", "SND", "C2B280"), ("Teal", "TEA", "008080"))  # fmt: skip
SIZES = (("XS", "XS"), ("S", "S"), ("M", "M"), ("L", "L"), ("XL", "XL"), ("XXL", "2XL"))

CUSTOM_FIELDS = (
    ("Material", ("Cotton", "Steel", "Oak", "Ceramic", "Recycled plastic", "Wool")),
    ("Country of origin", ("USA", "Portugal", "Vietnam", "Mexico", "Italy", "Canada")),
    ("Warranty", ("1 year", "2 years", "Lifetime", "90 days")),
    ("Care", ("Machine wash cold", "Hand wash", "Wipe clean", "Dishwasher safe")),
    ("Collection", ("Spring 2025", "Autumn 2024", "Core", "Limited Edition")),
)  # fmt: skip

MODIFIERS = (
    ("Gift message", "text"),
    ("Gift wrap", "checkbox"),
    ("Engraving", "text"),
    ("Delivery date", "date"),
)  # fmt: skip

REVIEW_TITLES = ("Great value", "Exactly as described", "Would buy again", "Not bad",
                 "Disappointed", "Love it", "Solid quality")  # fmt: skip
