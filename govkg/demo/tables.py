"""Static content of the demo world: places, agency kinds, data elements, topics.

Everything here is plain data.  Texts contain no character that N-Triples must escape
(the generator checks that once at start-up), so the generator composes them without
escaping per triple.  Township codes are illustrative 9-digit extensions of the
GB/T 2260 county codes, not verified official codes.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------
# Jurisdictions: code, zh, en label, en adjective (for agency names), level, parent
# ---------------------------------------------------------------------------
# The top keys are the four regulations' jurisdictions; "CN" (the State) and "GZ"
# (Guizhou province, Guiyang's parent) only carry the platforms Guiyang must
# interconnect with.
TOPS = ("GY", "ZJ", "LN", "SX")
TOP_CODE = {"GY": "520100", "ZJ": "330000", "LN": "210000", "SX": "140000"}
TOP_NAME_EN = {"GY": "Guiyang", "ZJ": "Zhejiang", "LN": "Liaoning", "SX": "Shanxi"}

# (code, zh, en label, en adjective, level, parent code)
JURISDICTIONS: tuple[tuple[str, str, str, str, str, str | None], ...] = (
    ("000000", "中华人民共和国", "People's Republic of China", "National", "STATE", None),  # govkg convention
    ("520000", "贵州省", "Guizhou Province", "Guizhou Provincial", "PROVINCE", "000000"),
    # Guiyang (GY)
    ("520100", "贵阳市", "Guiyang", "Guiyang Municipal", "MUNICIPAL", "520000"),
    ("520102", "南明区", "Nanming District", "Nanming District", "COUNTY", "520100"),
    ("520103", "云岩区", "Yunyan District", "Yunyan District", "COUNTY", "520100"),
    ("520111", "花溪区", "Huaxi District", "Huaxi District", "COUNTY", "520100"),
    ("520112", "乌当区", "Wudang District", "Wudang District", "COUNTY", "520100"),
    ("520113", "白云区", "Baiyun District", "Baiyun District", "COUNTY", "520100"),
    ("520115", "观山湖区", "Guanshanhu District", "Guanshanhu District", "COUNTY", "520100"),
    ("520121", "开阳县", "Kaiyang County", "Kaiyang County", "COUNTY", "520100"),
    ("520122", "息烽县", "Xifeng County", "Xifeng County", "COUNTY", "520100"),
    ("520123", "修文县", "Xiuwen County", "Xiuwen County", "COUNTY", "520100"),
    ("520181", "清镇市", "Qingzhen City", "Qingzhen City", "COUNTY", "520100"),
    ("520111101", "青岩镇", "Qingyan Town", "Qingyan Town", "TOWNSHIP", "520111"),
    ("520123102", "六广镇", "Liuguang Town", "Liuguang Town", "TOWNSHIP", "520123"),
    ("520121100", "城关镇", "Chengguan Town", "Chengguan Town", "TOWNSHIP", "520121"),
    # Zhejiang (ZJ)
    ("330000", "浙江省", "Zhejiang Province", "Zhejiang Provincial", "PROVINCE", "000000"),
    ("330100", "杭州市", "Hangzhou", "Hangzhou Municipal", "MUNICIPAL", "330000"),
    ("330200", "宁波市", "Ningbo", "Ningbo Municipal", "MUNICIPAL", "330000"),
    ("330300", "温州市", "Wenzhou", "Wenzhou Municipal", "MUNICIPAL", "330000"),
    ("330400", "嘉兴市", "Jiaxing", "Jiaxing Municipal", "MUNICIPAL", "330000"),
    ("330500", "湖州市", "Huzhou", "Huzhou Municipal", "MUNICIPAL", "330000"),
    ("330600", "绍兴市", "Shaoxing", "Shaoxing Municipal", "MUNICIPAL", "330000"),
    ("330700", "金华市", "Jinhua", "Jinhua Municipal", "MUNICIPAL", "330000"),
    ("330800", "衢州市", "Quzhou", "Quzhou Municipal", "MUNICIPAL", "330000"),
    ("330900", "舟山市", "Zhoushan", "Zhoushan Municipal", "MUNICIPAL", "330000"),
    ("331000", "台州市", "Taizhou", "Taizhou Municipal", "MUNICIPAL", "330000"),
    ("331100", "丽水市", "Lishui", "Lishui Municipal", "MUNICIPAL", "330000"),
    ("330102", "上城区", "Shangcheng District", "Shangcheng District", "COUNTY", "330100"),
    ("330106", "西湖区", "Xihu District", "Xihu District", "COUNTY", "330100"),
    ("330108", "滨江区", "Binjiang District", "Binjiang District", "COUNTY", "330100"),
    ("330110", "余杭区", "Yuhang District", "Yuhang District", "COUNTY", "330100"),
    ("330203", "海曙区", "Haishu District", "Haishu District", "COUNTY", "330200"),
    ("330212", "鄞州区", "Yinzhou District", "Yinzhou District", "COUNTY", "330200"),
    ("330302", "鹿城区", "Lucheng District", "Lucheng District", "COUNTY", "330300"),
    ("330381", "瑞安市", "Rui'an City", "Rui'an City", "COUNTY", "330300"),
    ("331102", "莲都区", "Liandu District", "Liandu District", "COUNTY", "331100"),
    ("331121", "青田县", "Qingtian County", "Qingtian County", "COUNTY", "331100"),
    ("331181", "龙泉市", "Longquan City", "Longquan City", "COUNTY", "331100"),
    ("330110005", "良渚街道", "Liangzhu Subdistrict", "Liangzhu Subdistrict", "TOWNSHIP", "330110"),
    ("331121001", "鹤城街道", "Hecheng Subdistrict", "Hecheng Subdistrict", "TOWNSHIP", "331121"),
    ("330212101", "姜山镇", "Jiangshan Town", "Jiangshan Town", "TOWNSHIP", "330212"),
    # Liaoning (LN)
    ("210000", "辽宁省", "Liaoning Province", "Liaoning Provincial", "PROVINCE", "000000"),
    ("210100", "沈阳市", "Shenyang", "Shenyang Municipal", "MUNICIPAL", "210000"),
    ("210200", "大连市", "Dalian", "Dalian Municipal", "MUNICIPAL", "210000"),
    ("210300", "鞍山市", "Anshan", "Anshan Municipal", "MUNICIPAL", "210000"),
    ("210400", "抚顺市", "Fushun", "Fushun Municipal", "MUNICIPAL", "210000"),
    ("210500", "本溪市", "Benxi", "Benxi Municipal", "MUNICIPAL", "210000"),
    ("210600", "丹东市", "Dandong", "Dandong Municipal", "MUNICIPAL", "210000"),
    ("210700", "锦州市", "Jinzhou", "Jinzhou Municipal", "MUNICIPAL", "210000"),
    ("210800", "营口市", "Yingkou", "Yingkou Municipal", "MUNICIPAL", "210000"),
    ("210900", "阜新市", "Fuxin", "Fuxin Municipal", "MUNICIPAL", "210000"),
    ("211000", "辽阳市", "Liaoyang", "Liaoyang Municipal", "MUNICIPAL", "210000"),
    ("211100", "盘锦市", "Panjin", "Panjin Municipal", "MUNICIPAL", "210000"),
    ("211200", "铁岭市", "Tieling", "Tieling Municipal", "MUNICIPAL", "210000"),
    ("211300", "朝阳市", "Chaoyang", "Chaoyang Municipal", "MUNICIPAL", "210000"),
    ("211400", "葫芦岛市", "Huludao", "Huludao Municipal", "MUNICIPAL", "210000"),
    ("210102", "和平区", "Heping District", "Heping District", "COUNTY", "210100"),
    ("210103", "沈河区", "Shenhe District", "Shenhe District", "COUNTY", "210100"),
    ("210112", "浑南区", "Hunnan District", "Hunnan District", "COUNTY", "210100"),
    ("210202", "中山区", "Zhongshan District", "Zhongshan District", "COUNTY", "210200"),
    ("210213", "金州区", "Jinzhou District", "Jinzhou District", "COUNTY", "210200"),
    ("210281", "瓦房店市", "Wafangdian City", "Wafangdian City", "COUNTY", "210200"),
    ("210302", "铁东区", "Tiedong District", "Tiedong District", "COUNTY", "210300"),
    ("210102001", "太原街街道", "Taiyuanjie Subdistrict", "Taiyuanjie Subdistrict", "TOWNSHIP", "210102"),
    ("210213101", "大魏家街道", "Daweijia Subdistrict", "Daweijia Subdistrict", "TOWNSHIP", "210213"),
    # Shanxi (SX)
    ("140000", "山西省", "Shanxi Province", "Shanxi Provincial", "PROVINCE", "000000"),
    ("140100", "太原市", "Taiyuan", "Taiyuan Municipal", "MUNICIPAL", "140000"),
    ("140200", "大同市", "Datong", "Datong Municipal", "MUNICIPAL", "140000"),
    ("140300", "阳泉市", "Yangquan", "Yangquan Municipal", "MUNICIPAL", "140000"),
    ("140400", "长治市", "Changzhi", "Changzhi Municipal", "MUNICIPAL", "140000"),
    ("140500", "晋城市", "Jincheng", "Jincheng Municipal", "MUNICIPAL", "140000"),
    ("140600", "朔州市", "Shuozhou", "Shuozhou Municipal", "MUNICIPAL", "140000"),
    ("140700", "晋中市", "Jinzhong", "Jinzhong Municipal", "MUNICIPAL", "140000"),
    ("140800", "运城市", "Yuncheng", "Yuncheng Municipal", "MUNICIPAL", "140000"),
    ("140900", "忻州市", "Xinzhou", "Xinzhou Municipal", "MUNICIPAL", "140000"),
    ("141000", "临汾市", "Linfen", "Linfen Municipal", "MUNICIPAL", "140000"),
    ("141100", "吕梁市", "Lüliang", "Lüliang Municipal", "MUNICIPAL", "140000"),
    ("140105", "小店区", "Xiaodian District", "Xiaodian District", "COUNTY", "140100"),
    ("140106", "迎泽区", "Yingze District", "Yingze District", "COUNTY", "140100"),
    ("140213", "平城区", "Pingcheng District", "Pingcheng District", "COUNTY", "140200"),
    ("140802", "盐湖区", "Yanhu District", "Yanhu District", "COUNTY", "140800"),
    ("140105001", "坞城街道", "Wucheng Subdistrict", "Wucheng Subdistrict", "TOWNSHIP", "140105"),
    ("140213001", "新建南路街道", "Xinjiannanlu Subdistrict", "Xinjiannanlu Subdistrict", "TOWNSHIP", "140213"),
)

# Placeholder host names under the reserved .example TLD (RFC 2606).
HOST = {"GY": "gy.example", "ZJ": "zj.example", "LN": "ln.example", "SX": "sx.example"}

# ---------------------------------------------------------------------------
# Agency kinds
# ---------------------------------------------------------------------------
# kind -> (zh at province, zh below, en at province, en below); names are formed as
# jurisdiction name + suffix, e.g. 浙江省公安厅 / "Zhejiang Provincial Department of Public
# Security", 杭州市公安局 / "Hangzhou Municipal Public Security Bureau".
DEPARTMENT_NAMES: dict[str, tuple[str, str, str, str]] = {
    "public-security": ("公安厅", "公安局", "Department of Public Security", "Public Security Bureau"),
    "market": ("市场监督管理局", "市场监督管理局", "Administration for Market Regulation",
               "Administration for Market Regulation"),
    "natural-resources": ("自然资源厅", "自然资源局", "Department of Natural Resources", "Natural Resources Bureau"),
    "development-reform": ("发展和改革委员会", "发展和改革委员会", "Development and Reform Commission",
                           "Development and Reform Commission"),
    "business-environment": ("营商环境建设局", "营商环境建设局", "Business Environment Construction Bureau",
                             "Business Environment Construction Bureau"),
    "hrss": ("人力资源和社会保障厅", "人力资源和社会保障局", "Department of Human Resources and Social Security",
             "Human Resources and Social Security Bureau"),
    "health": ("卫生健康委员会", "卫生健康委员会", "Health Commission", "Health Commission"),
    "ecology-environment": ("生态环境厅", "生态环境局", "Department of Ecology and Environment",
                            "Ecology and Environment Bureau"),
    "transport": ("交通运输厅", "交通运输局", "Department of Transport", "Transport Bureau"),
    "housing": ("住房和城乡建设厅", "住房和城乡建设局", "Department of Housing and Urban-Rural Development",
                "Housing and Urban-Rural Development Bureau"),
    "civil-affairs": ("民政厅", "民政局", "Department of Civil Affairs", "Civil Affairs Bureau"),
    "education": ("教育厅", "教育局", "Department of Education", "Education Bureau"),
}

# The competent data department's name per top jurisdiction (rule 34).
DATA_DEPARTMENT_NAMES: dict[str, tuple[str, str]] = {
    "GY": ("大数据发展管理局", "Big Data Development Administration"),
    "ZJ": ("大数据发展管理局", "Big Data Development Administration"),
    "LN": ("数据局", "Data Bureau"),
    "SX": ("政务信息管理局", "Government Information Management Bureau"),
}

# Which department kinds exist at which level.  "data" and "government" exist everywhere
# (townships: government only; their competent department is the county's data department).
UPPER_KINDS = (
    "public-security", "market", "natural-resources", "development-reform", "hrss", "health",
    "ecology-environment", "transport", "housing", "civil-affairs", "education",
)
COUNTY_KINDS = ("public-security", "market", "natural-resources", "hrss", "health", "civil-affairs", "education")
LN_ONLY_KINDS = ("business-environment",)

# Relative weight of a kind when datasets are spread over agencies.
KIND_WEIGHT = {
    "data": 0.6, "government": 0.15, "public-security": 1.2, "market": 1.2, "natural-resources": 1.0,
    "development-reform": 0.9, "business-environment": 0.8, "hrss": 1.0, "health": 1.0,
    "ecology-environment": 0.9, "transport": 0.9, "housing": 0.8, "civil-affairs": 0.8, "education": 0.8,
    "water": 0.5, "power": 0.5, "gas": 0.4, "heating": 0.4, "telecom": 0.4, "public-transport": 0.4,
    "tax": 0.5, "customs": 0.4, "financial-supervision": 0.4, "social-organisation": 0.3,
}

# Providers that are not administrative organs: (key suffix, jurisdiction code, kind,
# provider-type code, zh, en, plant_only).  plant_only providers publish only datasets
# planted for rule 30 (a Guiyang water company, a Zhejiang association, a Liaoning tax
# service): in that jurisdiction their provider type is not admitted.
SPECIAL_PROVIDERS: tuple[tuple[str, str, str, str, str, str, bool], ...] = (
    ("water", "330100", "water", "WATER", "杭州市水务集团有限公司", "Hangzhou Water Group Co., Ltd.", False),
    ("water", "330200", "water", "WATER", "宁波市水务环境集团有限公司", "Ningbo Water and Environment Group Co., Ltd.",
     False),
    ("power", "330000", "power", "POWER", "国网浙江省电力有限公司", "State Grid Zhejiang Electric Power Co., Ltd.",
     False),
    ("gas", "330100", "gas", "GAS", "杭州市燃气集团有限公司", "Hangzhou Gas Group Co., Ltd.", False),
    ("public-transport", "330100", "public-transport", "PUBLIC_TRANSPORT", "杭州市公共交通集团有限公司",
     "Hangzhou Public Transport Group Co., Ltd.", False),
    ("tax", "330000", "tax", "TAX", "国家税务总局浙江省税务局",
     "Zhejiang Provincial Tax Service, State Taxation Administration", False),
    ("customs", "330100", "customs", "CUSTOMS", "中华人民共和国杭州海关", "Hangzhou Customs District", False),
    ("financial-supervision", "330000", "financial-supervision", "FINANCIAL_SUPERVISION",
     "国家金融监督管理总局浙江监管局", "Zhejiang Office of the National Financial Regulatory Administration", False),
    ("software-association", "330000", "social-organisation", "SOCIAL_ORGANISATION", "浙江省软件行业协会",
     "Zhejiang Software Industry Association", True),
    ("water", "210100", "water", "WATER", "沈阳水务集团有限公司", "Shenyang Water Group Co., Ltd.", False),
    ("power", "210000", "power", "POWER", "国网辽宁省电力有限公司", "State Grid Liaoning Electric Power Co., Ltd.",
     False),
    ("gas", "210100", "gas", "GAS", "沈阳燃气集团有限公司", "Shenyang Gas Group Co., Ltd.", False),
    ("heating", "210100", "heating", "HEATING", "沈阳惠天热电股份有限公司", "Shenyang Huitian Thermal Power Co., Ltd.",
     False),
    ("telecom", "210000", "telecom", "TELECOM", "中国电信股份有限公司辽宁分公司", "China Telecom Liaoning Branch",
     False),
    ("public-transport", "210200", "public-transport", "PUBLIC_TRANSPORT", "大连公交客运集团有限公司",
     "Dalian Public Transport Group Co., Ltd.", False),
    ("software-association", "210000", "social-organisation", "SOCIAL_ORGANISATION", "辽宁省软件行业协会",
     "Liaoning Software Industry Association", False),
    ("tax", "210000", "tax", "TAX", "国家税务总局辽宁省税务局",
     "Liaoning Provincial Tax Service, State Taxation Administration", True),
    ("water", "520100", "water", "WATER", "贵阳水务集团有限公司", "Guiyang Water Group Co., Ltd.", True),
)
OPERATOR_TYPES = frozenset({"WATER", "POWER", "GAS", "HEATING", "TELECOM", "PUBLIC_TRANSPORT"})
STATIONED_TYPES = frozenset({"TAX", "CUSTOMS", "FINANCIAL_SUPERVISION"})

# Provider types each regulation admits (rule 30).  GY 2: administrative organs only;
# ZJ 3: organs, authorised organisations, the operators it names (water, power, gas,
# public transport) and stationed state agencies; LN 7: organs, operators incl. heating
# and telecoms, and social organisations.
ADMITTED_PROVIDER_TYPES: dict[str, frozenset[str]] = {
    "GY": frozenset({"ADMINISTRATIVE_ORGAN"}),
    "ZJ": frozenset({"ADMINISTRATIVE_ORGAN", "AUTHORISED_ORGANISATION", "PUBLIC_SERVICE_OPERATOR", "WATER", "POWER",
                     "GAS", "PUBLIC_TRANSPORT", "STATIONED_STATE_AGENCY", "TAX", "CUSTOMS",
                     "FINANCIAL_SUPERVISION"}),
    "LN": frozenset({"ADMINISTRATIVE_ORGAN", "AUTHORISED_ORGANISATION", "PUBLIC_SERVICE_OPERATOR", "WATER", "POWER",
                     "GAS", "HEATING", "TELECOM", "PUBLIC_TRANSPORT", "SOCIAL_ORGANISATION"}),
}

# ---------------------------------------------------------------------------
# Data elements: key -> (zh, en, data type, category, authority kind)
# category: "P" personal, "C" commercially confidential, "N" neither.
# authority kind: the kind of agency that is the authoritative source (rule 27),
# resolved to that kind's agency at the top level of the dataset's jurisdiction;
# "self" means the publisher itself.
# ---------------------------------------------------------------------------
ELEMENTS: dict[str, tuple[str, str, str, str, str]] = {
    "id-number": ("公民身份号码", "Citizen ID number", "string", "P", "public-security"),
    "person-name": ("姓名", "Name", "string", "P", "public-security"),
    "gender": ("性别", "Gender", "code", "P", "public-security"),
    "birth-date": ("出生日期", "Date of birth", "date", "P", "public-security"),
    "household-address": ("户籍地址", "Household registration address", "string", "P", "public-security"),
    "residence-address": ("居住地址", "Residential address", "string", "P", "public-security"),
    "vehicle-plate": ("车辆号牌", "Vehicle licence plate", "string", "P", "public-security"),
    "marital-status": ("婚姻状况", "Marital status", "code", "P", "civil-affairs"),
    "uscc": ("统一社会信用代码", "Unified social credit code", "string", "N", "market"),
    "enterprise-name": ("企业名称", "Enterprise name", "string", "N", "market"),
    "registered-address": ("住所", "Registered address", "string", "N", "market"),
    "establishment-date": ("成立日期", "Date of establishment", "date", "N", "market"),
    "registered-capital": ("注册资本", "Registered capital", "decimal", "N", "market"),
    "business-scope": ("经营范围", "Business scope", "string", "N", "market"),
    "annual-revenue": ("营业收入", "Operating revenue", "decimal", "C", "market"),
    "bank-account": ("基本存款账户账号", "Basic deposit account number", "string", "C", "market"),
    "admin-division": ("行政区划代码", "Administrative division code", "code", "N", "civil-affairs"),
    "social-security-number": ("社会保障号码", "Social security number", "string", "P", "hrss"),
    "insurance-status": ("参保状态", "Insurance status", "code", "P", "hrss"),
    "employer": ("工作单位", "Employer", "string", "N", "hrss"),
    "qualification-certificate": ("职业资格证书编号", "Vocational qualification certificate number", "string", "N",
                                  "hrss"),
    "medical-institution": ("医疗机构名称", "Medical institution name", "string", "N", "health"),
    "hospital-beds": ("核定床位数", "Approved number of beds", "integer", "N", "health"),
    "vaccination-record": ("疫苗接种记录", "Vaccination record", "string", "P", "health"),
    "birth-certificate": ("出生医学证明编号", "Birth medical certificate number", "string", "P", "health"),
    "land-parcel": ("宗地代码", "Land parcel code", "string", "N", "natural-resources"),
    "land-use": ("土地用途", "Land use", "code", "N", "natural-resources"),
    "land-area": ("宗地面积", "Parcel area", "decimal", "N", "natural-resources"),
    "realty-certificate": ("不动产权证书号", "Real estate title certificate number", "string", "P",
                           "natural-resources"),
    "project-code": ("项目代码", "Project code", "string", "N", "development-reform"),
    "project-name": ("项目名称", "Project name", "string", "N", "development-reform"),
    "total-investment": ("总投资额", "Total investment", "decimal", "N", "development-reform"),
    "gross-product": ("地区生产总值", "Gross regional product", "decimal", "N", "development-reform"),
    "consumer-price-index": ("居民消费价格指数", "Consumer price index", "decimal", "N", "development-reform"),
    "commodity-price": ("商品价格", "Commodity price", "decimal", "N", "development-reform"),
    "credit-rating": ("信用等级", "Credit rating", "code", "N", "development-reform"),
    "dishonesty-flag": ("失信主体标识", "Dishonest-entity flag", "code", "N", "development-reform"),
    "pm25": ("PM2.5浓度", "PM2.5 concentration", "decimal", "N", "ecology-environment"),
    "water-quality-class": ("水质类别", "Water quality class", "code", "N", "ecology-environment"),
    "monitoring-station": ("监测点位名称", "Monitoring station", "string", "N", "ecology-environment"),
    "discharge-permit": ("排污许可证编号", "Pollutant discharge permit number", "string", "N",
                         "ecology-environment"),
    "route-number": ("线路编号", "Route number", "string", "N", "transport"),
    "road-transport-licence": ("道路运输经营许可证号", "Road transport operating licence number", "string", "N",
                               "transport"),
    "traffic-volume": ("断面交通流量", "Section traffic volume", "integer", "N", "transport"),
    "construction-permit": ("施工许可证编号", "Construction permit number", "string", "N", "housing"),
    "housing-fund-account": ("住房公积金账号", "Housing provident fund account", "string", "P", "housing"),
    "community-name": ("社区名称", "Community name", "string", "N", "civil-affairs"),
    "social-organisation-number": ("社会组织登记证号", "Social organisation registration number", "string", "N",
                                   "civil-affairs"),
    "school-name": ("学校名称", "School name", "string", "N", "education"),
    "enrolment": ("在校生人数", "Number of students enrolled", "integer", "N", "education"),
    "student-number": ("学籍号", "Student registration number", "string", "P", "education"),
    "licence-number": ("证照编号", "Licence number", "string", "N", "licence"),
    "licence-type": ("证照类型", "Licence type", "code", "N", "licence"),
    "issuing-authority": ("发证机关", "Issuing authority", "string", "N", "licence"),
    "valid-until": ("有效期截止日期", "Valid until", "date", "N", "licence"),
    "document-number": ("文号", "Document number", "string", "N", "self"),
    "document-title": ("文件标题", "Document title", "string", "N", "self"),
    "water-consumption": ("用水量", "Water consumption", "decimal", "N", "self"),
    "power-consumption": ("企业用电量", "Enterprise electricity consumption", "decimal", "C", "self"),
    "gas-consumption": ("用气量", "Gas consumption", "decimal", "N", "self"),
    "heated-area": ("供热面积", "Heated floor area", "decimal", "N", "self"),
    "base-station": ("基站编号", "Base station identifier", "string", "N", "self"),
    "bus-stop": ("站点名称", "Stop name", "string", "N", "self"),
    "tax-paid": ("纳税额", "Tax paid", "decimal", "C", "self"),
    "customs-declaration": ("报关单号", "Customs declaration number", "string", "C", "self"),
    "loan-balance": ("贷款余额", "Loan balance", "decimal", "C", "self"),
    "member-organisation": ("会员单位名称", "Member organisation", "string", "N", "self"),
}

# Elements that agencies collect themselves and that no dataset offers: ordinary
# collection activities use only these, so they never repeat a collection (rule 26).
COLLECTION_ONLY_ELEMENTS: dict[str, tuple[str, str]] = {
    "survey-answers": ("入户调查问卷答复", "Household survey answers"),
    "inspection-photo": ("现场检查照片", "On-site inspection photograph"),
    "applicant-signature": ("申请人签名", "Applicant's signature"),
    "visit-record": ("走访记录", "Visit record"),
    "health-questionnaire": ("健康状况问卷", "Health questionnaire"),
    "satisfaction-rating": ("服务满意度评价", "Service satisfaction rating"),
}

# ---------------------------------------------------------------------------
# What each kind publishes: topics (zh, en), elements, basic resources, themes
# ---------------------------------------------------------------------------
KIND_CONTENT: dict[str, tuple[tuple[tuple[str, str], ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "public-security": (
        (("户籍人口信息", "Household registration population"), ("居民身份证信息", "Resident identity cards"),
         ("流动人口登记信息", "Floating population registration"), ("机动车登记信息", "Motor vehicle registration")),
        ("id-number", "person-name", "gender", "birth-date", "household-address", "residence-address",
         "vehicle-plate", "admin-division"),
        ("POPULATION",), ("EMERGENCY_STABILITY", "COMMUNITY_GOVERNANCE")),
    "market": (
        (("企业登记信息", "Enterprise registration"), ("个体工商户登记信息", "Individual business registration"),
         ("食品经营许可信息", "Food business licences"), ("市场监管行政处罚信息", "Market regulation penalties")),
        ("uscc", "enterprise-name", "registered-address", "establishment-date", "registered-capital",
         "business-scope", "annual-revenue", "bank-account"),
        ("LEGAL_ENTITY",), ("FOOD_DRUG_SAFETY", "CREDIT_SYSTEM", "PRICE_SUPERVISION")),
    "natural-resources": (
        (("不动产登记信息", "Real estate registration"),
         ("国有建设用地供应信息", "State-owned construction land supply"),
         ("国土空间规划信息", "Territorial spatial planning")),
        ("land-parcel", "land-use", "land-area", "realty-certificate", "admin-division", "project-name"),
        ("NATURAL_RESOURCES_SPATIAL_GEOGRAPHY",), ("URBAN_RURAL_CONSTRUCTION", "ECOLOGY_ENVIRONMENT")),
    "development-reform": (
        (("固定资产投资项目信息", "Fixed-asset investment projects"),
         ("重要商品价格监测信息", "Price monitoring of key goods"),
         ("公共信用评价信息", "Public credit evaluations"), ("国民经济主要指标", "Main economic indicators")),
        ("project-code", "project-name", "total-investment", "gross-product", "consumer-price-index",
         "commodity-price", "credit-rating", "dishonesty-flag", "uscc", "enterprise-name"),
        ("SOCIAL_CREDIT", "MACROECONOMY"), ("PRICE_SUPERVISION", "CREDIT_SYSTEM", "ENERGY_SECURITY")),
    "business-environment": (
        (("电子证照目录信息", "Electronic licence directory"), ("政务服务事项信息", "Government service items"),
         ("营商环境投诉处理信息", "Business environment complaints")),
        ("licence-number", "licence-type", "issuing-authority", "valid-until", "uscc", "enterprise-name"),
        ("ELECTRONIC_LICENCE",), ("PUBLIC_SERVICES", "CREDIT_SYSTEM")),
    "data": (
        (("电子证照信息", "Electronic licences"), ("政务数据共享调用统计", "Government data sharing statistics"),
         ("电子印章信息", "Electronic seals")),
        ("licence-number", "licence-type", "issuing-authority", "valid-until", "admin-division"),
        ("ELECTRONIC_LICENCE",), ("PUBLIC_SERVICES",)),
    "government": (
        (("政府规章信息", "Government rules"), ("重大行政决策信息", "Major administrative decisions")),
        ("document-number", "document-title", "admin-division"),
        (), ("PUBLIC_SERVICES", "COMMUNITY_GOVERNANCE")),
    "hrss": (
        (("社会保险参保信息", "Social insurance enrolment"), ("就业登记信息", "Employment registration"),
         ("职业资格证书信息", "Vocational qualification certificates")),
        ("social-security-number", "insurance-status", "person-name", "id-number", "employer",
         "qualification-certificate", "admin-division"),
        (), ("SOCIAL_SECURITY",)),
    "health": (
        (("医疗机构基本信息", "Medical institutions"), ("出生医学证明信息", "Birth medical certificates"),
         ("预防接种信息", "Vaccination records")),
        ("medical-institution", "hospital-beds", "vaccination-record", "birth-certificate", "person-name",
         "id-number", "admin-division"),
        (), ("HEALTH_SECURITY", "PUBLIC_SERVICES")),
    "ecology-environment": (
        (("环境空气质量监测信息", "Ambient air quality monitoring"),
         ("地表水水质监测信息", "Surface water quality monitoring"),
         ("排污许可信息", "Pollutant discharge permits")),
        ("pm25", "water-quality-class", "monitoring-station", "discharge-permit", "uscc", "enterprise-name",
         "admin-division"),
        (), ("ECOLOGY_ENVIRONMENT",)),
    "transport": (
        (("公交线路信息", "Bus routes"), ("道路运输经营许可信息", "Road transport operating licences"),
         ("公路交通流量信息", "Highway traffic volume")),
        ("route-number", "road-transport-licence", "traffic-volume", "vehicle-plate", "uscc", "enterprise-name"),
        (), ("PUBLIC_SERVICES", "WORK_SAFETY")),
    "housing": (
        (("建筑工程施工许可信息", "Construction permits"),
         ("住房公积金缴存信息", "Housing provident fund contributions"),
         ("保障性住房信息", "Affordable housing")),
        ("construction-permit", "housing-fund-account", "project-name", "uscc", "enterprise-name", "person-name",
         "id-number"),
        (), ("URBAN_RURAL_CONSTRUCTION", "WORK_SAFETY")),
    "civil-affairs": (
        (("社会组织登记信息", "Social organisation registration"), ("婚姻登记信息", "Marriage registration"),
         ("最低生活保障对象信息", "Subsistence allowance recipients"),
         ("城乡社区基本信息", "Urban and rural communities")),
        ("social-organisation-number", "marital-status", "person-name", "id-number", "community-name",
         "admin-division"),
        (), ("COMMUNITY_GOVERNANCE", "SOCIAL_SECURITY")),
    "education": (
        (("学校基本信息", "Schools"), ("学生学籍信息", "Student registration"),
         ("教师资格认定信息", "Teacher qualifications")),
        ("school-name", "enrolment", "student-number", "person-name", "admin-division"),
        (), ("PUBLIC_SERVICES",)),
    "water": (
        (("供水用户用水量统计", "Water consumption statistics"), ("出厂水水质检测信息", "Treated water quality tests")),
        ("water-consumption", "water-quality-class", "admin-division", "residence-address"),
        (), ("PUBLIC_SERVICES",)),
    "power": (
        (("企业用电量信息", "Enterprise electricity consumption"),
         ("供电服务网点信息", "Power supply service outlets")),
        ("power-consumption", "uscc", "enterprise-name", "admin-division"),
        (), ("ENERGY_SECURITY",)),
    "gas": (
        (("燃气用户用气量统计", "Gas consumption statistics"),),
        ("gas-consumption", "admin-division", "community-name", "residence-address"),
        (), ("ENERGY_SECURITY", "PUBLIC_SERVICES")),
    "heating": (
        (("集中供热面积信息", "District heating coverage"),),
        ("heated-area", "admin-division", "community-name", "residence-address"),
        (), ("PUBLIC_SERVICES",)),
    "telecom": (
        (("通信基站分布信息", "Telecom base stations"),),
        ("base-station", "admin-division", "community-name"),
        (), ("PUBLIC_SERVICES", "EMERGENCY_STABILITY")),
    "public-transport": (
        (("公交站点信息", "Bus stops"), ("公交线路运营信息", "Bus line operations")),
        ("bus-stop", "route-number", "admin-division"),
        (), ("PUBLIC_SERVICES",)),
    "tax": (
        (("纳税信用等级信息", "Tax credit ratings"), ("企业纳税信息", "Enterprise tax payments")),
        ("uscc", "enterprise-name", "credit-rating", "tax-paid"),
        (), ("CREDIT_SYSTEM",)),
    "customs": (
        (("进出口企业信息", "Import and export enterprises"),),
        ("uscc", "enterprise-name", "customs-declaration", "admin-division"),
        (), ("CREDIT_SYSTEM",)),
    "financial-supervision": (
        (("银行业金融机构信息", "Banking institutions"),),
        ("enterprise-name", "uscc", "loan-balance", "admin-division"),
        (), ("CREDIT_SYSTEM",)),
    "social-organisation": (
        (("会员单位信息", "Member organisations"),),
        ("member-organisation", "uscc", "enterprise-name", "admin-division"),
        (), ("PUBLIC_SERVICES",)),
}

TITLE_QUALIFIERS: tuple[tuple[str, str], ...] = (
    ("", ""), ("汇总", " (summary)"), ("明细", " (details)"), ("统计", " (statistics)"),
    ("（2023年）", " (2023)"), ("（2024年）", " (2024)"), ("（2025年）", " (2025)"),
)

BASIC_RESOURCE_NAMES = {
    "POPULATION": ("人口基础信息资源目录", "Population basic information catalogue", "population"),
    "LEGAL_ENTITY": ("法人单位基础信息资源目录", "Legal entity basic information catalogue", "legal-entity"),
    "NATURAL_RESOURCES_SPATIAL_GEOGRAPHY": ("自然资源和空间地理基础信息资源目录",
                                            "Natural resources and spatial geography basic information catalogue",
                                            "natural-resources-spatial-geography"),
    "SOCIAL_CREDIT": ("社会信用基础信息资源目录", "Social credit basic information catalogue", "social-credit"),
    "ELECTRONIC_LICENCE": ("电子证照基础信息资源目录", "Electronic licence basic information catalogue",
                           "electronic-licence"),
    "MACROECONOMY": ("宏观经济基础信息资源目录", "Macroeconomy basic information catalogue", "macroeconomy"),
}

# Basic catalogues per top jurisdiction: resource -> lead kind (rule 17 for LN; GY per
# its implementation opinions; SX per SX 9, compiled by the information management
# department itself with the relevant department as co-maintainer).
BASIC_CATALOGUES: dict[str, dict[str, str]] = {
    "GY": {"POPULATION": "public-security", "LEGAL_ENTITY": "market",
           "NATURAL_RESOURCES_SPATIAL_GEOGRAPHY": "natural-resources", "MACROECONOMY": "development-reform",
           "ELECTRONIC_LICENCE": "data"},
    "ZJ": {"POPULATION": "public-security", "LEGAL_ENTITY": "market",
           "NATURAL_RESOURCES_SPATIAL_GEOGRAPHY": "natural-resources", "SOCIAL_CREDIT": "development-reform",
           "ELECTRONIC_LICENCE": "data"},
    "LN": {"POPULATION": "public-security", "LEGAL_ENTITY": "market",
           "NATURAL_RESOURCES_SPATIAL_GEOGRAPHY": "natural-resources", "SOCIAL_CREDIT": "development-reform",
           "ELECTRONIC_LICENCE": "business-environment"},
    "SX": {"POPULATION": "public-security", "LEGAL_ENTITY": "market", "SOCIAL_CREDIT": "development-reform",
           "MACROECONOMY": "development-reform", "NATURAL_RESOURCES_SPATIAL_GEOGRAPHY": "natural-resources",
           "ELECTRONIC_LICENCE": "data"},
}

THEME_NAMES = {
    "PUBLIC_SERVICES": ("公共服务", "public services"), "HEALTH_SECURITY": ("健康保障", "health security"),
    "SOCIAL_SECURITY": ("社会保障", "social security"), "FOOD_DRUG_SAFETY": ("食品药品安全", "food and drug safety"),
    "WORK_SAFETY": ("安全生产", "work safety"), "PRICE_SUPERVISION": ("价格监管", "price supervision"),
    "ENERGY_SECURITY": ("能源安全", "energy security"), "CREDIT_SYSTEM": ("信用体系", "credit system"),
    "URBAN_RURAL_CONSTRUCTION": ("城乡建设", "urban and rural construction"),
    "COMMUNITY_GOVERNANCE": ("社区治理", "community governance"),
    "ECOLOGY_ENVIRONMENT": ("生态环境", "ecology and environment"),
    "EMERGENCY_STABILITY": ("应急维稳", "emergency response and stability"),
}
THEME_LEAD = {
    "PUBLIC_SERVICES": "data", "HEALTH_SECURITY": "health", "SOCIAL_SECURITY": "hrss",
    "FOOD_DRUG_SAFETY": "market", "WORK_SAFETY": "housing", "PRICE_SUPERVISION": "development-reform",
    "ENERGY_SECURITY": "development-reform", "CREDIT_SYSTEM": "development-reform",
    "URBAN_RURAL_CONSTRUCTION": "housing", "COMMUNITY_GOVERNANCE": "civil-affairs",
    "ECOLOGY_ENVIRONMENT": "ecology-environment", "EMERGENCY_STABILITY": "public-security",
}
THEME_CONTRIBUTORS = {
    "PUBLIC_SERVICES": ("education", "health", "transport"), "HEALTH_SECURITY": ("hrss", "market", "civil-affairs"),
    "SOCIAL_SECURITY": ("civil-affairs", "health", "housing"), "FOOD_DRUG_SAFETY": ("health", "public-security"),
    "WORK_SAFETY": ("transport", "market", "public-security"),
    "PRICE_SUPERVISION": ("market", "transport"), "ENERGY_SECURITY": ("ecology-environment", "transport"),
    "CREDIT_SYSTEM": ("market", "hrss", "ecology-environment"),
    "URBAN_RURAL_CONSTRUCTION": ("natural-resources", "transport"),
    "COMMUNITY_GOVERNANCE": ("public-security", "health", "housing"),
    "ECOLOGY_ENVIRONMENT": ("natural-resources", "housing", "transport"),
    "EMERGENCY_STABILITY": ("health", "transport", "civil-affairs"),
}
# Thematic catalogues: (jurisdiction code, themes)
THEMATIC_CATALOGUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("520100", ("PUBLIC_SERVICES", "HEALTH_SECURITY", "ECOLOGY_ENVIRONMENT", "CREDIT_SYSTEM",
                "URBAN_RURAL_CONSTRUCTION")),
    ("330000", ("PUBLIC_SERVICES", "SOCIAL_SECURITY", "FOOD_DRUG_SAFETY", "ECOLOGY_ENVIRONMENT", "CREDIT_SYSTEM")),
    ("330100", ("PUBLIC_SERVICES", "COMMUNITY_GOVERNANCE")),
    ("210000", ("PUBLIC_SERVICES", "SOCIAL_SECURITY", "WORK_SAFETY", "CREDIT_SYSTEM", "EMERGENCY_STABILITY")),
    ("210100", ("PUBLIC_SERVICES", "COMMUNITY_GOVERNANCE")),
    ("210200", ("ECOLOGY_ENVIRONMENT", "WORK_SAFETY")),
    ("140000", ("ENERGY_SECURITY", "ECOLOGY_ENVIRONMENT", "PUBLIC_SERVICES", "SOCIAL_SECURITY", "CREDIT_SYSTEM")),
    ("140100", ("PUBLIC_SERVICES", "HEALTH_SECURITY")),
    ("140200", ("ENERGY_SECURITY", "WORK_SAFETY")),
)

# ---------------------------------------------------------------------------
# Code lists used by datasets
# ---------------------------------------------------------------------------
UPDATE_CYCLES: tuple[tuple[str, float, str, str, str, str], ...] = (
    # code, weight, EU frequency, update time limit, zh, en
    ("REAL_TIME", 0.05, "UPDATE_CONT", "PT1H", "实时", "in real time"),
    ("DAILY", 0.15, "DAILY", "P1D", "每日", "daily"),
    ("WEEKLY", 0.05, "WEEKLY", "P7D", "每周", "weekly"),
    ("MONTHLY", 0.2, "MONTHLY", "P1M", "每月", "monthly"),
    ("QUARTERLY", 0.15, "QUARTERLY", "P3M", "每季度", "quarterly"),
    ("HALF_YEARLY", 0.05, "ANNUAL_2", "P6M", "每半年", "half-yearly"),
    ("YEARLY", 0.2, "ANNUAL", "P1Y", "每年", "yearly"),
    ("IRREGULAR", 0.1, "IRREG", "P15D", "不定期", "irregularly"),
    ("ON_DEMAND", 0.04, "IRREG", "P15D", "按需", "on demand"),
    ("OTHER", 0.01, "OTHER", "P30D", "其他周期", "on another schedule"),
)

# Structured formats: (EU file type, IANA media type)
STRUCTURED_FORMATS = (
    ("CSV", "text/csv"), ("JSON", "application/json"), ("XML", "application/xml"),
    ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
)
PDF_FORMAT = ("PDF", "application/pdf")

NON_SHARING_REASONS: tuple[tuple[str, str, str], ...] = (
    ("LAW_REGULATION", "涉及法律法规明确限制共享的内容",
     "contains content whose sharing laws and regulations restrict"),
    ("POLICY_DOCUMENT", "依据政策文件仅向特定部门提供", "policy documents limit it to specific departments"),
    ("SENSITIVE_INFORMATION", "包含个人信息或商业秘密等敏感信息",
     "contains sensitive personal or commercial information"),
)

# Legal bases for restrictions (rule 3) per top jurisdiction: (regulation key, article).
# The national Guofa [2016] No. 51 measures (art. 9: the three sharing types and the
# basis required for the restricted ones) serve everywhere; the regional articles on
# secrets and privacy (GY 8, ZJ 2, SX 2) where they exist.
LEGAL_BASES: dict[str, tuple[tuple[str, int], ...]] = {
    "GY": (("cn-guofa-2016-51", 9), ("guiyang", 8)),
    "ZJ": (("cn-guofa-2016-51", 9), ("zhejiang", 2)),
    "LN": (("cn-guofa-2016-51", 9),),
    "SX": (("cn-guofa-2016-51", 9), ("shanxi", 2)),
}
# Legal basis of collection activities (rule 28).
COLLECTION_BASES: dict[str, tuple[str, int]] = {
    "GY": ("guiyang", 12), "ZJ": ("zhejiang", 3), "LN": ("liaoning", 6), "SX": ("shanxi", 10),
}
REGULATION_OF_TOP = {"GY": "guiyang", "ZJ": "zhejiang", "LN": "liaoning", "SX": "shanxi"}
