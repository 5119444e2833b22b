//! The words the corpus is made of: committees, topic subjects and sentence patterns
//! in English and Traditional Chinese, in the style of the Legislative Council's
//! background briefs. Each English entry has its Chinese counterpart at the same
//! index, so the two versions of a brief say the same thing.

/// A committee: config key, names, file reference.
pub struct Committee {
    pub key: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
    pub reference: &'static str,
}

/// Twenty panels and subcommittees of the Council.
pub const COMMITTEES: [Committee; 20] = [
    c(
        "itb",
        "Panel on Information Technology and Broadcasting",
        "資訊科技及廣播事務委員會",
        "PL/ITB",
    ),
    c(
        "sc-smart-city",
        "Subcommittee on Matters Relating to the Development of Smart City",
        "推動智慧城市發展事宜小組委員會",
        "SC/SMC",
    ),
    c("ci", "Panel on Commerce and Industry", "工商事務委員會", "PL/CI"),
    c("tp", "Panel on Transport", "交通事務委員會", "PL/TP"),
    c("ea", "Panel on Environmental Affairs", "環境事務委員會", "PL/EA"),
    c(
        "ajls",
        "Panel on Administration of Justice and Legal Services",
        "司法及法律事務委員會",
        "PL/AJLS",
    ),
    c("ca", "Panel on Constitutional Affairs", "政制事務委員會", "PL/CA"),
    c("dev", "Panel on Development", "發展事務委員會", "PL/DEV"),
    c("edev", "Panel on Economic Development", "經濟發展事務委員會", "PL/EDEV"),
    c("ed", "Panel on Education", "教育事務委員會", "PL/ED"),
    c("fa", "Panel on Financial Affairs", "財經事務委員會", "PL/FA"),
    c(
        "fseh",
        "Panel on Food Safety and Environmental Hygiene",
        "食物安全及環境衞生事務委員會",
        "PL/FSEH",
    ),
    c("hs", "Panel on Health Services", "衞生事務委員會", "PL/HS"),
    c(
        "hacs",
        "Panel on Home Affairs, Culture and Sports",
        "民政及文化體育事務委員會",
        "PL/HACS",
    ),
    c("hg", "Panel on Housing", "房屋事務委員會", "PL/HG"),
    c("mp", "Panel on Manpower", "人力事務委員會", "PL/MP"),
    c(
        "ps",
        "Panel on Public Service",
        "公務員及資助機構員工事務委員會",
        "PL/PS",
    ),
    c("se", "Panel on Security", "保安事務委員會", "PL/SE"),
    c("ws", "Panel on Welfare Services", "福利事務委員會", "PL/WS"),
    c(
        "ciit",
        "Panel on Commerce, Industry, Innovation and Technology",
        "工商及創新科技事務委員會",
        "PL/CIIT",
    ),
];

const fn c(key: &'static str, en: &'static str, zh: &'static str, reference: &'static str) -> Committee {
    Committee { key, en, zh, reference }
}

/// The six areas of the Smart City Blueprint: key, English and Chinese names.
pub const TOPICS: [(&str, &str, &str); 6] = [
    ("smart-government", "Smart Government", "智慧政府"),
    ("smart-mobility", "Smart Mobility", "智慧出行"),
    ("smart-living", "Smart Living", "智慧生活"),
    ("smart-environment", "Smart Environment", "智慧環境"),
    ("smart-people", "Smart People", "智慧市民"),
    ("smart-economy", "Smart Economy", "智慧經濟"),
];

/// Subjects by topic (same order as [`TOPICS`]): (English, Chinese).
pub const SUBJECTS: [[(&str, &str); 10]; 6] = [
    [
        ("development of digital government", "發展數碼政府"),
        ("the “iAM Smart” platform", "「智方便」平台"),
        ("the Consented Data Exchange Gateway", "授權數據交換閘"),
        ("the Big Data Analytics Platform", "大數據分析平台"),
        ("the work of the Digital Policy Office", "數字政策辦公室的工作"),
        ("open government data", "政府開放數據"),
        (
            "the use of artificial intelligence in public services",
            "在公共服務應用人工智能",
        ),
        (
            "cybersecurity of government information systems",
            "政府資訊系統的網絡安全",
        ),
        ("electronic procurement by the Government", "政府電子採購"),
        (
            "the Next Generation Government Cloud Infrastructure",
            "新一代政府雲端設施",
        ),
    ],
    [
        ("trials of autonomous vehicles", "自動駕駛車輛的測試"),
        ("the Traffic Data Analytics System", "交通數據分析系統"),
        ("the “HKeMobility” mobile application", "「香港出行易」流動應用程式"),
        ("smart parking systems", "智能泊車系統"),
        ("free-flow tolling under “HKeToll”", "「易通行」不停車繳費"),
        (
            "the installation of multi-functional smart lampposts",
            "安裝多功能智慧燈柱",
        ),
        (
            "the transport network of the Northern Metropolis",
            "北部都會區的運輸網絡",
        ),
        ("electronic payment in public transport", "公共交通的電子支付"),
        ("the optimisation of traffic signals", "優化交通燈號"),
        ("the development of the low-altitude economy", "低空經濟發展"),
    ],
    [
        (
            "electronic payment by small and medium enterprises",
            "中小企使用電子支付",
        ),
        (
            "telehealth services of the Hospital Authority",
            "醫院管理局的遙距醫療服務",
        ),
        ("the Electronic Health Record Sharing System", "電子健康紀錄互通系統"),
        ("public Wi-Fi services", "公共Wi-Fi服務"),
        ("the Faster Payment System", "轉數快"),
        ("elderly-friendly digital services", "長者友善的數碼服務"),
        ("the Smart Village Pilots", "智慧鄉村先導計劃"),
        ("gerontechnology", "樂齡科技"),
        ("the development of 5G networks", "5G網絡發展"),
        (
            "cross-boundary digital services in the Greater Bay Area",
            "大灣區跨境數碼服務",
        ),
    ],
    [
        ("the charging network for electric vehicles", "電動車充電網絡"),
        ("the Strategy of Hydrogen Development", "氫能發展策略"),
        ("municipal solid waste charging", "都市固體廢物收費"),
        ("smart water meters", "智能水錶"),
        ("green buildings and energy efficiency", "綠色建築及能源效益"),
        ("the Climate Action Plan 2050", "《香港氣候行動藍圖2050》"),
        ("waste reduction and recycling", "減廢及回收"),
        ("air quality monitoring", "空氣質素監測"),
        (
            "the green transformation of public buses and taxis",
            "公共巴士及的士綠色轉型",
        ),
        ("renewable energy", "可再生能源"),
    ],
    [
        ("STEAM education in primary and secondary schools", "中小學的STEAM教育"),
        ("the Technology Talent Admission Scheme", "科技人才入境計劃"),
        ("the Research Talent Hub", "研究人才庫"),
        ("digital inclusion of the elderly", "長者數碼共融"),
        ("information technology education", "資訊科技教育"),
        ("the attraction of innovation and technology talent", "吸引創新科技人才"),
        ("the Innovation and Technology Fund", "創新及科技基金"),
        ("vocational and professional education and training", "職業專才教育"),
        ("the Top Talent Pass Scheme", "高端人才通行證計劃"),
        ("youth entrepreneurship", "青年創業"),
    ],
    [
        ("the development of financial technology", "金融科技發展"),
        ("the Commercial Data Interchange", "商業數據通"),
        ("the development of the digital economy", "數字經濟發展"),
        ("the regulation of virtual assets", "虛擬資產的規管"),
        ("the e-HKD", "數碼港元"),
        (
            "the Hong Kong-Shenzhen Innovation and Technology Park",
            "港深創新及科技園",
        ),
        ("support for start-ups", "支援初創企業"),
        ("the development of data centres", "數據中心發展"),
        ("cross-boundary data flow", "跨境數據流通"),
        ("re-industrialisation", "再工業化"),
    ],
];

/// Sentences of a paragraph under a topic. `{s}` and `{t}` are subjects, `{n}` a
/// number, `{y}` and `{z}` years, `{m}` a month number. Index-aligned: (English, Chinese).
pub const SENTENCES: [(&str, &str); 16] = [
    (
        "Members urged the Administration to **step up its efforts on {s}** and to set out a clear timetable for the relevant initiatives.",
        "議員促請政府**加強推動{s}的工作**，並就相關措施訂立清晰的時間表。",
    ),
    (
        "Members expressed concern about the progress of {s}, and enquired whether the Administration would review the existing arrangements in the light of the experience gained so far.",
        "議員關注{s}的進展，並查詢政府會否因應至今累積的經驗，檢討現行安排。",
    ),
    (
        "The Administration advised that it had been working closely with the relevant policy bureaux and departments on {s}, and would continue to keep in view the developments in the Mainland and overseas.",
        "政府表示，一直與相關政策局及部門緊密合作推展{s}，並會繼續留意內地及海外的發展。",
    ),
    (
        "Some Members suggested that the Administration should make better use of {s} so as to enhance the efficiency of city management and improve people's livelihood.",
        "部分議員建議政府更善用{s}，以提升城市管理效率及改善市民生活。",
    ),
    (
        "According to the Administration, a total of {n} initiatives relating to {s} had been implemented since {y}, and a further review would be conducted in {z}.",
        "據政府表示，自{y}年以來已推行共{n}項與{s}相關的措施，並會於{z}年進行進一步檢討。",
    ),
    (
        "Members asked about the resources allocated to {s}; the Administration replied that about ${n} million had been earmarked for the purpose in the Budget of {y}.",
        "議員查詢為{s}預留的資源；政府回應指，{y}年的財政預算已為此預留約{n}百萬元。",
    ),
    (
        "Members considered that {s} should be taken forward in tandem with {t}, with a view to creating synergy and avoiding duplication of efforts.",
        "議員認為，{s}應與{t}同步推展，以發揮協同效應及避免工作重疊。",
    ),
    (
        "The Administration pointed out that the public consultation on {s} had been completed in month {m} of {y}, and that the views received were generally supportive.",
        "政府指出，有關{s}的公眾諮詢已於{y}年{m}月完成，所收集的意見普遍表示支持。",
    ),
    (
        "Noting the public concern about personal data privacy, Members urged the Administration to ensure that {s} complied with the Personal Data (Privacy) Ordinance (Cap. 486).",
        "鑒於公眾關注個人資料私隱，議員促請政府確保{s}符合《個人資料（私隱）條例》（第486章）的規定。",
    ),
    (
        "The Administration undertook to provide the Panel with a progress report on {s} in due course.",
        "政府承諾會在適當時候向事務委員會提交有關{s}的進度報告。",
    ),
    (
        "Members enquired about the performance indicators adopted for {s}, and suggested that the Administration should publish the relevant figures on a regular basis.",
        "議員查詢{s}所採用的表現指標，並建議政府定期公布相關數字。",
    ),
    (
        "The Administration explained that the implementation of {s} had been affected by the epidemic, but the relevant works were expected to be completed by {z}.",
        "政府解釋，{s}的推行曾受疫情影響，但相關工程預計可於{z}年完成。",
    ),
    (
        "Members were concerned about how the Administration would **promote the wider use of {s}** among the public and the business sector, particularly small and medium enterprises.",
        "議員關注政府會如何**推動市民及商界更廣泛使用{s}**，特別是中小型企業。",
    ),
    (
        "The Administration advised that {n} public and private organizations had joined the scheme on {s}, and that more would be invited to participate through publicity and promotion.",
        "政府表示，已有{n}個公私營機構參與{s}的計劃，並會透過宣傳推廣邀請更多機構參與。",
    ),
    (
        "Some Members opined that the Administration should draw on the experience of cities such as Shenzhen and Singapore in taking forward {s}.",
        "部分議員認為，政府在推展{s}時應借鑒深圳及新加坡等城市的經驗。",
    ),
    (
        "The Administration responded that an inter-departmental working group on {s} had been set up in {y} to formulate best practices, regulations and standards.",
        "政府回應指，已於{y}年成立{s}跨部門工作小組，以制訂最佳做法、規例及標準。",
    ),
];

/// The background section's sentences; same slots as [`SENTENCES`].
pub const BACKGROUND: [(&str, &str); 6] = [
    (
        "The Administration published in December 2017 the Smart City Blueprint for Hong Kong, setting out 76 initiatives under the six areas of “Smart Government”, “Smart Mobility”, “Smart Living”, “Smart Environment”, “Smart People” and “Smart Economy”.",
        "政府於2017年12月公布《香港智慧城市藍圖》，在「智慧政府」、「智慧出行」、「智慧生活」、「智慧環境」、「智慧市民」及「智慧經濟」六大範疇下提出76項措施。",
    ),
    (
        "The Smart City Blueprint for Hong Kong 2.0 was released in December 2020, in which more than 130 smart city initiatives were further proposed, including those relating to {s}.",
        "政府於2020年12月發表《香港智慧城市藍圖2.0》，進一步提出超過130項智慧城市措施，包括與{s}相關的措施。",
    ),
    (
        "The Hong Kong Innovation and Technology Development Blueprint was promulgated in December 2022 to establish a development path and a systematic strategic planning for the development of innovation and technology in Hong Kong.",
        "政府於2022年12月公布《香港創新科技發展藍圖》，為香港的創新科技發展確立發展路徑及作出系統的戰略規劃。",
    ),
    (
        "The Administration advised that policy bureaux and departments had been committed to **promoting {s}, improving management efficiency and optimizing city management through leveraging technology**.",
        "政府表示，各政策局及部門一直致力**推動{s}，善用科技提升管理效率及優化城市管理**。",
    ),
    (
        "The Panel last discussed {s} at its meeting in {y}, when the Administration briefed Members on the latest progress of the relevant initiatives.",
        "事務委員會上一次於{y}年的會議上討論{s}，當時政府向議員簡介相關措施的最新進展。",
    ),
    (
        "In the Policy Address of {y}, the Chief Executive announced a number of new measures to take forward {s}.",
        "行政長官在{y}年施政報告中宣布多項推展{s}的新措施。",
    ),
];

/// Section headings: purpose, background, members' views, relevant papers.
pub const HEADINGS: [(&str, &str); 4] = [
    ("Purpose", "目的"),
    ("Background", "背景"),
    (
        "Major views and concerns expressed by Members",
        "議員提出的主要意見及關注事項",
    ),
    ("Relevant papers", "相關文件"),
];

/// Roman numerals of agenda items.
pub const ROMAN: [&str; 6] = ["I", "II", "III", "IV", "V", "VI"];
