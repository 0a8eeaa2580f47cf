
namespace ScenarioKit.Language.Diagnostics;

/// <summary>English and Japanese words used inside messages.</summary>
internal static class Names
{
    public static Localized TypeName(string kind) => kind switch
    {
        "mapping" or "object" => new("a mapping", "マッピング"),
        "list" or "array" => new("a list", "リスト"),
        "string" => new("text", "文字列"),
        "number" => new("a number", "数値"),
        "integer" => new("an integer", "整数"),
        "boolean" => new("true or false", "true/false"),
        "null" => new("nothing (null)", "空（null）"),
        _ => new(kind, kind),
    };

    public static Localized Either(IEnumerable<Localized> names)
    {
        var list = names.Distinct().ToList();
        return new(string.Join(" or ", list.Select(l => l.En)), string.Join("または", list.Select(l => l.Ja)));
    }

    public static Localized KindOfSection(string section) => section switch
    {
        "flows" => new("flow", "フロー"),
        "intents" => new("intent", "インテント"),
        "actions" => new("action", "アクション"),
        "vocabulary" => new("vocabulary term", "語彙"),
        _ => new(section, section),
    };

    public static readonly Localized Flow = new("flow", "フロー");
    public static readonly Localized Intent = new("intent", "インテント");
    public static readonly Localized Variable = new("variable", "変数");
    public static readonly Localized Stage = new("stage", "ステージ");
    public static readonly Localized Queue = new("queue", "キュー");
    public static readonly Localized Rule = new("handoff rule", "引き継ぎルール");
    public static readonly Localized Proactive = new("proactive rule", "プロアクティブルール");
    public static readonly Localized Action = new("action", "アクション");
    public static readonly Localized Scenario = new("the scenario", "シナリオ");

    /// <summary>A location label: the YAML path of a node, or "the scenario" for the root.</summary>
    public static Localized At(string path) => path.Length == 0 ? Scenario : new(path, path);
}
