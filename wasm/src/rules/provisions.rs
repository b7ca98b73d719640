//! The provisions of the guide (鲁乡振发〔2023〕3号) the rules rest on: each a question and words
//! quoted from its official text. Every rule cites through these, never through a bare number;
//! `wasm/tests/provisions.rs` finds every quote in `content/zh/q/NN.md`, so a new edition of the
//! guide that moves or rewords a provision fails that test instead of leaving a wrong citation.

pub use crate::vocab::Provision;

/// The document number of the guide these provisions quote, as its `site.yaml` prints it: the
/// build tool checks the quotes against a content folder of this document.
pub const EDITION: &str = "鲁乡振发〔2023〕3号";

macro_rules! provisions {
    ($($(#[$doc:meta])* $name:ident = $question:literal, $quote:literal;)*) => {
        $($(#[$doc])* pub const $name: Provision = Provision { question: $question, quote: $quote };)*
        /// Every provision above, for the test that checks the quotes.
        pub const ALL: &[Provision] = &[$($name),*];
    };
}

provisions! {
    /// The three kinds of monitored households.
    Q2 = 2, "脱贫不稳定户、边缘易致贫户，以及因病因灾因意外事故等刚性支出较大或收入大幅缩减导致基本生活出现严重困难户";
    /// Their definitions by income against the line.
    Q3 = 3, "脱贫不稳定户是指人均纯收入在省定防止返贫监测线以下";
    /// Identification is a comprehensive judgement, in two situations.
    Q7 = 7, "认定监测帮扶对象可分为两类情况";
    /// The line is the province's, adjusted every year.
    Q10 = 10, "年度调整的均为省定防止返贫监测线";
    /// Income below the line is not the only condition.
    Q11 = 11, "不是唯一条件，更不是新的贫困标准";
    /// What per-capita net income counts.
    Q12 = 12, "主要包括工资性收入、生产经营性收入、转移性收入（含农村基本养老金、赡养收入等）、财产性收入，并扣减生产经营性支出";
    /// A household with higher income that can resolve its problem.
    Q13 = 13, "扣除合规自付支出后家庭收入明显高于当地农村平均水平";
    /// Who is in scope.
    Q14 = 14, "面向所有农村地区、所有农村户籍人口开展";
    /// Members with urban registration living together.
    Q15 = 15, "可按实际共同生活人口识别为监测帮扶对象";
    /// Where identification takes place.
    Q16 = 16, "确有特殊情况不能由户籍地开展识别的，由常住地牵头负责";
    /// Assistance by ability to work.
    Q20 = 20, "对符合条件的无劳动能力监测帮扶对象，做好兜底保障";
    /// The Green Channel: assistance first.
    Q24 = 24, "由县级乡村振兴部门先录入全国防止返贫监测和衔接推进乡村振兴信息系统中的“绿色通道”进行管理，由相关部门和镇村两级第一时间实施帮扶";
    /// The conditions of risk elimination.
    Q25 = 25, "收入稳定超过当年省定防止返贫监测线、“三保障”和饮水安全持续巩固";
    /// Six months of stable income, unless the risk disappeared of itself.
    Q27 = 27, "过渡期内，除风险自然消除外，收入持续稳定原则上不少于半年";
    /// No quota of eliminations.
    Q26 = 26, "不得设置风险消除比例要求";
    /// Whole-household safety-net households: not eliminated for now.
    Q28 = 28, "暂不消除风险";
    /// What a whole-household safety-net household is.
    Q29 = 29, "整户无劳动能力、主要或只能通过社会综合保障政策维持基本生活的家庭";
    /// A new risk after elimination.
    Q31 = 31, "应按程序重新识别为监测帮扶对象";
    /// The identification procedure.
    Q33 = 33, "认定程序包括：镇村入户核实和农户授权承诺";
    /// The elimination procedure.
    Q37 = 37, "风险消除程序包括：镇村入户核实，村级民主评议，镇级审核反馈，村级公示，县级批准、公告和系统标注";
    /// What public notices must not show.
    Q38 = 38, "不得公开农户身份证件号码、手机号、银行账号、健康状况等敏感信息";
    /// The 12317 hotline.
    Q42 = 42, "农户可通过拨打12317电话";
}

/// The provisions whose question is missing from `questions` (each question's number and its
/// official Chinese text, as the content has them) or whose words it does not contain: empty
/// when every rule's citation holds for this edition of the guide.
pub fn not_in_guide(questions: &std::collections::BTreeMap<u8, String>) -> Vec<Provision> {
    ALL.iter()
        .filter(|p| {
            !questions
                .get(&p.question)
                .is_some_and(|text| super::policy::quoted_in(p.quote, text))
        })
        .copied()
        .collect()
}
