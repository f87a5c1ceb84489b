"""The fictional county of the demo: places, bodies, staff and names (petitions: texts.py).

Every name, place, company and person here is invented. The division codes are fictional too:
the 99 prefix is not a real province, so nothing here can be mistaken for a real place.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- Places ----------------------------------------------------------------------------------
# Fictional division codes: city 990100, county 990102, townships 990102001-005, villages and
# communities 990102001001 and on (GB/T 2260 layout, invented numbers).
CITY = ("990100", "江州市")
COUNTY = ("990102", "清河县")

# (township, its government's unit name, slug, villages or communities)
TOWNSHIPS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("东关街道", "东关街道办事处", "dg", ("新华路社区", "文昌社区", "南关社区", "鼓楼社区")),
    ("永安镇", "永安镇政府", "ya", ("双河村", "永安村", "新庄村", "前营村")),
    ("白沙乡", "白沙乡政府", "bs", ("白沙村", "沙河口村", "东坡村")),
    ("柳林镇", "柳林镇政府", "ll", ("柳林社区", "杨柳村", "前湾村", "马坊村")),
    ("石桥乡", "石桥乡政府", "sq", ("石桥村", "北洼村", "桃园村")),
)


def township_code(index: int) -> str:
    return f"{COUNTY[0]}{index + 1:03d}"


def village_code(township_index: int, village_index: int) -> str:
    return f"{township_code(township_index)}{village_index + 1:03d}"


def is_community(village: str) -> bool:
    return village.endswith("社区")


def village_unit_name(village: str) -> str:
    return f"{village}居民委员会" if is_community(village) else f"{village}村民委员会"


# --- Bodies ----------------------------------------------------------------------------------
# County departments and other county-level bodies: (slug, name, short name for numbers, kind).
# kind is a Unit.Kind value; the parent is the county government unless said otherwise below.
DEPARTMENTS: tuple[tuple[str, str, str, str], ...] = (
    ("rsj", "县人社局", "清人社", "department"),
    ("cgj", "县城管局", "清城管", "department"),
    ("zrzy", "县自然资源局", "清自然", "department"),
    ("zjj", "县住建局", "清住建", "department"),
    ("mzj", "县民政局", "清民政", "department"),
    ("wjw", "县卫健委", "清卫健", "department"),
    ("gaj", "县公安局", "清公安", "department"),
    ("jyj", "县教育局", "清教育", "department"),
    ("sthj", "县生态环境局", "清环境", "department"),
    ("scjg", "县市场监管局", "清市监", "department"),
    ("tyjr", "县退役军人事务局", "清退役", "department"),
    ("jtj", "县交通运输局", "清交通", "department"),
    ("gzb", "县国资办", "清国资", "department"),
    ("zfb", "县政府办", "清政办", "department"),
    ("nync", "县农业农村局", "清农业", "department"),
    ("fl", "县妇联", "清妇联", "other"),
)
# Discipline inspection and the court answer to no county department: no parent unit.
INDEPENDENT: tuple[tuple[str, str, str, str], ...] = (
    ("jw", "县纪委监委", "清纪", "discipline"),
    ("fy", "县法院", "清法", "judicial"),
)
CITY_GOV = ("city", "江州市人民政府", "江政")
COUNTY_GOV = ("gov", "清河县人民政府", "清政")
BUREAU = ("bureau", "清河县信访局", "清信")

# --- Taxonomy --------------------------------------------------------------------------------
CATEGORIES: tuple[str, ...] = (
    "土地与自然资源",
    "城乡建设与住房",
    "劳动与社会保障",
    "农村农业",
    "退役军人事务",
    "企业改制与经济管理",
    "涉法涉诉",
    "公安与治安",
    "纪检监察",
    "妇女儿童权益",
    "教育",
    "卫生健康",
    "民政与社会救助",
    "生态环境",
    "交通运输",
    "市场监管与消费",
    "城市管理",
    "政务与其他",
)

# --- Staff -----------------------------------------------------------------------------------
DEMO_PASSWORD = "demo12345"


@dataclass(frozen=True)
class Staff:
    username: str
    name: str
    role: str  # a Role value
    unit: str  # a unit slug
    title: str  # what the login table says the account is for


# The accounts the login table prints: one per role, and the heads who decide reviews.
STAFF: tuple[Staff, ...] = (
    Staff("registrar", "刘晓燕", "registrar", "bureau", "信访局登记员"),
    Staff("director", "陈志远", "director", "bureau", "信访局局长"),
    Staff("supervisor", "周立新", "supervisor", "bureau", "督查督办"),
    Staff("auditor", "吴静", "auditor", "bureau", "审计（只读）"),
    Staff("admin", "孙浩", "admin", "bureau", "系统管理员（/admin/）"),
    Staff("handler", "李娜", "handler", "rsj", "人社局承办人"),
    Staff("unit_lead", "王建军", "unit_lead", "rsj", "人社局局长"),
    Staff("leader", "赵红梅", "leader", "rsj", "人社局分管领导（包案）"),
    Staff("handler2", "郑伟", "handler", "zjj", "住建局承办人"),
    Staff("inspector", "何勇", "discipline_inspector", "jw", "纪检监察员"),
    Staff("gov_lead", "马立国", "unit_lead", "gov", "县政府负责人（复查）"),
    Staff("city_lead", "郭文清", "unit_lead", "city", "市政府负责人（复核）"),
    Staff("county_leader", "高明", "leader", "gov", "副县长（包案）"),
    Staff("town_lead", "胡海峰", "unit_lead", "ya", "永安镇镇长"),
    Staff("town_registrar", "林小芳", "registrar", "ya", "永安镇登记员"),
)
# Every other body that handles matters gets a head and a handler, named `<slug>_lead` and
# `<slug>_handler`; bodies outside the county government also need a leader of their own to own
# cases (领导包案), `<slug>_leader`. The names come from the lists below, in a fixed order.
EXTRA_LEADERS = ("jw", "fy")

# --- People ----------------------------------------------------------------------------------
SURNAMES = tuple(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
    "田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦"
)
# Two characters each.
_GIVEN = (
    "德厚桂兰秀珍建国卫东国庆红梅满仓秀芝守义立磊桂芳玉兰春生永福淑英志强海燕明亮文华凤英长林小军丽娟"
    "二柱金山翠花振华学文保国爱民素芬大勇晓峰俊杰雪梅宏伟玉珍树林春燕广田兰英建华子涵一鸣思远佳怡浩然"
    "秋菊连生福贵巧云宝山新民月娥铁柱荣华彩霞国栋静怡"
)
GIVEN_NAMES = tuple(_GIVEN[i : i + 2] for i in range(0, len(_GIVEN), 2))
COMPANIES = (
    "清河县鑫达建筑劳务有限公司",
    "清河县恒远置业有限公司",
    "江州瑞丰物业服务有限公司",
    "清河县永鑫化工有限公司",
    "清河县金穗食品有限公司",
    "清河县顺通客运有限公司",
    "清河县博雅健身服务有限公司",
    "清河县华源纺织有限公司",
    "清河县绿野养殖专业合作社",
    "清河县宏图机械制造有限公司",
)
ROADS = ("文昌路", "人民路", "新华路", "鼓楼大街", "滨河路", "建设路", "府前街", "长安路")
SCHOOLS = ("县第二实验小学", "县第三中学", "永安镇中心小学", "柳林镇初级中学", "白沙乡中心小学")
