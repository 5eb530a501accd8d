//! `wenku --help` in Chinese: each command's and argument's help, and the
//! headings, as far as clap lets them be worded (its own error messages
//! stay English).

use clap::Command;

/// Each command's summary in Chinese.
const COMMANDS: &[(&str, &str)] = &[
    ("build", "把站点生成到输出文件夹（默认 ./public）"),
    ("serve", "生成站点并在 http://127.0.0.1:8000 提供浏览和搜索；文件一改就重新生成并刷新已打开的页面"),
    (
        "import",
        "把旧报告导入为带前置元数据的 Markdown 报告：UTF-8、UTF-16、GB18030 文本（也包括从网页粘贴的），Word .docx 和 .doc、WPS、RTF、OpenDocument、网页（.html、.mht）、PDF 和扫描件（OCR）；文件夹会逐层读取。格式按内容判断；`wenku doctor` 列出已安装的转换工具",
    ),
    ("check", "检查每篇报告和模板，不写任何文件"),
    ("passages", "列出在多篇报告中重复出现的段落（一字不差或几乎相同），出现篇数多的在前"),
    ("init", "在 DIR 中新建站点：带注释的 wenku.yaml 和一篇示例报告"),
    ("doctor", "列出 `wenku import` 用到的外部转换工具（LibreOffice、poppler、带中文模型的 tesseract）及是否已安装"),
    (
        "search",
        "在 `wenku build` 写出的索引中搜索。多个词须全部出现；\"短语\"（也可用“…”「…」）逐字匹配；-词 排除；词 OR 词；筛选 year:2020、year:2018..2021、body:…、level:…、period:…",
    ),
    (
        "kwic",
        "逐处列出措辞及其上下文（语境），或其后接、前接的词串，或间隔查询的各种写法。查询语言同搜索：\"坚持\"、坚持*发展（同一句内可有任意间隔）、坚持{0,6}发展（中间最多 6 个：一个汉字、一个英文词或一个数字各算一个），可加筛选",
    ),
    (
        "keywords",
        "关键提法：目标部分比参照部分用得多的措辞（对数似然比），或加 --new 只看参照部分从未用过的（首次出现），--dropped 只看参照部分用过、目标部分不再用的。两部分都用查询表示：year:2020、year:2015..2019、body:某局，也可带词语",
    ),
    ("clusters", "固定提法：在多篇报告、多个发文机关、多个年份中反复出现的四至十六字词串（重复段落的各份只算一次）"),
    (
        "draft",
        "起草核对：逐句列出文库中相同或相近的说法（出处、年份、发文机关、相似度），近几年不再使用的过时提法及此后的常用说法，以及文库从未用过的新提法。稿子可以是导入能读的任何格式",
    ),
    ("help", "显示这条信息或某个命令的帮助"),
];

/// Each argument's help in Chinese, by its id (the same in every command).
const ARGS: &[(&str, &str)] = &[
    ("root", "站点文件夹（含 content/ 和 wenku.yaml）"),
    ("drafts", "包括标有 `draft: true` 的报告"),
    ("output", "站点写到哪里；生成成功后整个替换"),
    ("review", "逐篇列出待核对的报告，连同每个字段和导入时找到的依据"),
    ("bind", "监听的地址；0.0.0.0:8080 可供办公室网络访问"),
    ("no_watch", "只提供站点，不监视文件变化"),
    ("no_build", "直接提供已生成的站点和索引，不先生成"),
    ("inputs", "文件和文件夹（逐层读取）"),
    ("into", "新报告放在哪里，每篇放在所属年份的文件夹中（content/2024/…、content/年份不详/…）"),
    ("dry_run", "只显示将要写出的内容、推断的元数据、待核对的字段和将删去的每一行；不写任何文件"),
    ("verbose", "列出删去的每一行和每条待核对说明（同 --dry-run）"),
    ("force", "已导入过的文件也再导入一次，另起文件名"),
    ("body", "指定发文机关，不再推断"),
    ("year", "指定年份，不再推断"),
    ("level", "指定层级，不再推断"),
    ("period", "指定报告期，不再推断"),
    ("file", "稿子文件（.docx、.doc、.wps、.txt、.pdf 等）"),
    ("draft_body", "只对照这个发文机关的报告"),
    ("recent", "文库最近 N 年都没有用过的提法算过时"),
    ("limit", "列出多少条（每页）"),
    ("dir", "新站点的文件夹"),
    ("query", "查询，例如 '\"疫情防控\" year:2020..2021'"),
    ("index", "索引文件夹（默认：wenku.yaml 的 index_dir，即 search-index/）"),
    ("sort", "排序方式"),
    ("page", "第几页"),
    ("json", "以 JSON 输出"),
    (
        "table",
        "显示什么：lines 语境，next 后接，before 前接，variants 各种写法，collocates 搭配，years 逐年频次，bodies 各发文机关",
    ),
    ("window", "搭配：查询词两侧各看多少个位置（一个汉字、一个英文词或一个数字各算一个）"),
    ("target", "目标部分，例如 'year:2020'"),
    ("reference", "参照部分，例如 'year:2015..2019'"),
    ("new", "只列参照部分从未用过的措辞（首次出现）"),
    ("dropped", "只列参照部分用过、目标部分不再用的措辞"),
    ("width", "每侧语境的字数（到段落末尾为止）"),
    ("group", "语境相同的合并为一行并计数"),
    ("no_fold", "重复段落中的各处分开列出（默认合并为一行）"),
    ("export", "把整张表（所有页）写入 FILE：按扩展名写成 CSV（带 BOM 的 UTF-8）或 XLSX"),
    ("help", "显示帮助"),
    ("version", "显示版本"),
];

const TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// The command with its help in Chinese.
pub fn in_chinese(mut command: Command) -> Command {
    // Built first, so that clap's own `--help` and `--version` are there to word.
    command.build();
    let mut command = word(command.about("文库：把报告整理成可浏览、可搜索的文库站点"));
    for (name, about) in COMMANDS {
        if command.find_subcommand(name).is_some() {
            command = command.mut_subcommand(name, |sub| word(sub.about(*about).long_about(None)));
        }
    }
    command
}

/// One command's arguments and headings in Chinese.
fn word(mut command: Command) -> Command {
    command = command.help_template(TEMPLATE).subcommand_help_heading("命令").disable_help_subcommand(false).mut_args(
        |arg| {
            let heading = if arg.is_positional() { "参数" } else { "选项" };
            // clap says `[default: …]` in English: said here instead.
            let default: Vec<String> = if arg.get_action().takes_values() {
                arg.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect()
            } else {
                Vec::new()
            };
            let arg = arg.help_heading(heading).hide_default_value(true);
            let help = ARGS.iter().find(|(id, _)| *id == arg.get_id().as_str()).map(|(_, help)| *help);
            match (help, default.is_empty()) {
                (Some(help), true) => arg.help(help).long_help(None),
                (Some(help), false) => arg.help(format!("{help}（默认：{}）", default.join(" "))).long_help(None),
                (None, _) => arg,
            }
        },
    );
    command
}
