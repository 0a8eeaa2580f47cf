using System.Collections.Immutable;
using ScenarioKit.Language.Diagnostics;

namespace ScenarioKit.Testing.Diagnostics;

/// <summary>
/// The SK5xxx range of the diagnostic catalog: findings in test (<c>*.test.yaml</c>) and accuracy
/// (<c>*.accuracy.yaml</c>) files. Ids never change meaning and are never reused; each has a page
/// under <c>docs/diagnostics/</c>.
/// </summary>
public static class TestDiagnostics
{
    // SK50xx: the file itself (YAML and shape).
    public static readonly DiagnosticDescriptor YamlSyntax = new("SK5001", "Test file YAML syntax error",
        "{0}", "YAML の構文エラー: {0}", DiagnosticSeverity.Error,
        "Fix the YAML syntax at the position shown (indentation, quotes, colons).",
        "示された位置の YAML 構文（インデント、引用符、コロン）を直してください。");

    public static readonly DiagnosticDescriptor DuplicateKey = new("SK5002", "Duplicate key in a test file",
        "duplicate key '{0}' (first defined at line {1}, column {2})", "キー '{0}' が重複しています（最初の定義は {1} 行 {2} 列）",
        DiagnosticSeverity.Error, "Remove one of the two entries; YAML mappings cannot repeat a key.",
        "どちらかを削除してください。YAML のマッピングでキーは繰り返せません。");

    public static readonly DiagnosticDescriptor MissingKey = new("SK5003", "Required key missing",
        "{0} needs '{1}'", "{0} には '{1}' が必要です", DiagnosticSeverity.Error,
        "Add the key; docs/testing.md lists what each part of a test file needs.",
        "キーを追加してください。docs/testing.md に各部分に必要なキーがあります。");

    public static readonly DiagnosticDescriptor UnknownKey = new("SK5004", "Unknown key in a test file",
        "unknown key '{0}' in {1}; expected one of: {2}", "{1} に不明なキー '{0}' があります。使えるキー: {2}",
        DiagnosticSeverity.Error, "Check the spelling; docs/testing.md lists every key.",
        "綴りを確認してください。docs/testing.md にすべてのキーがあります。");

    public static readonly DiagnosticDescriptor InvalidValue = new("SK5005", "Invalid value in a test file",
        "{0}", "値が不正です: {0}", DiagnosticSeverity.Error,
        "Use the value form docs/testing.md shows for this key.",
        "docs/testing.md にあるこのキーの値の形で書いてください。");

    public static readonly DiagnosticDescriptor ScenarioNotCompiled = new("SK5006", "Scenario under test does not compile",
        "scenario '{0}' cannot be used: {1}", "テスト対象のシナリオ '{0}' を使えません: {1}", DiagnosticSeverity.Error,
        "Fix the scenario path or the scenario's own diagnostics (run `scenariokit validate`).",
        "シナリオのパスを直すか、シナリオ自体の診断を直してください（`scenariokit validate`）。");

    public static readonly DiagnosticDescriptor IncludeProblem = new("SK5007", "Include cannot be read",
        "include '{0}': {1}", "インクルード '{0}': {1}", DiagnosticSeverity.Error,
        "Includes are paths relative to the including file; they must exist and must not include each other in a cycle.",
        "インクルードはこのファイルからの相対パスです。存在し、循環しないようにしてください。");

    public static readonly DiagnosticDescriptor DuplicateTestName = new("SK5008", "Duplicate test name",
        "test name '{0}' is used twice in this file (first at line {1})", "テスト名 '{0}' が重複しています（最初は {1} 行）",
        DiagnosticSeverity.Error, "Give every test a unique name so reports and --filter can tell them apart.",
        "レポートと --filter で区別できるよう、テスト名を一意にしてください。");

    public static readonly DiagnosticDescriptor UndefinedPlaceholder = new("SK5009", "Case placeholder not defined",
        "'${{{0}}}' is not a column of this test's cases (columns: {1})", "'${{{0}}}' はこのテストの cases の列にありません（列: {1}）",
        DiagnosticSeverity.Error, "Add the column to every row of `cases`, or fix the placeholder's name.",
        "すべての行に列を追加するか、プレースホルダー名を直してください。");

    public static readonly DiagnosticDescriptor InvalidPattern = new("SK5010", "Invalid regular expression",
        "'{0}' is not a valid regular expression: {1}", "'{0}' は正規表現として不正です: {1}", DiagnosticSeverity.Error,
        "Fix the .NET regular expression between the slashes.",
        "スラッシュの間の .NET 正規表現を直してください。");

    // SK502x: slot filling assertions (issue 11).
    public static readonly DiagnosticDescriptor InvalidFilled = new("SK5020", "Invalid 'filled' expectation",
        "{0}", "'filled' の書き方が不正です: {0}", DiagnosticSeverity.Error,
        "Write `filled: { order.date: 2026-12-08 }` or `filled: { order.date: { value: 2026-12-08, from: 1, text: \"12月8日\", how: filled } }`.",
        "`filled: { order.date: 2026-12-08 }` または `filled: { order.date: { value: 2026-12-08, from: 1, text: \"12月8日\", how: filled } }` と書いてください。");

    public static readonly DiagnosticDescriptor FilledFromLater = new("SK5021", "'from' names a later message",
        "'from: {0}' names user message {0}, but only {1} user message(s) come before this step",
        "'from: {0}' はユーザーメッセージ {0} を指していますが、このステップの前にあるユーザーメッセージは {1} 件です", DiagnosticSeverity.Error,
        "Count the test's `user` steps from 1 (setup steps included) up to this step.",
        "このステップまでの `user` ステップを 1 から数えてください（setup のステップも含みます）。");

    public static readonly DiagnosticDescriptor NotAnAskVariable = new("SK5022", "No ask fills this variable",
        "no ask of the scenario fills variable '{0}'{1}", "シナリオのどの ask も変数 '{0}' を埋めません{1}", DiagnosticSeverity.Error,
        "`filled` checks the values asks took; name the variable of an `ask` step.",
        "`filled` は ask が受け取った値を確かめます。`ask` ステップの変数名を書いてください。");

    // SK51xx: references into the scenario under test.
    public static readonly DiagnosticDescriptor UnknownIntent = new("SK5101", "Unknown intent",
        "the scenario has no intent '{0}'{1}", "シナリオにインテント '{0}' はありません{1}", DiagnosticSeverity.Error,
        "Use an intent name declared under `intents:` in the scenario.",
        "シナリオの `intents:` にあるインテント名を使ってください。");

    public static readonly DiagnosticDescriptor UnknownStage = new("SK5102", "Unknown stage",
        "the scenario has no journey stage '{0}'{1}", "シナリオにジャーニーステージ '{0}' はありません{1}", DiagnosticSeverity.Error,
        "Use a stage declared under `journey:` in the scenario.",
        "シナリオの `journey:` にあるステージを使ってください。");

    public static readonly DiagnosticDescriptor UnknownVariable = new("SK5103", "Unknown variable",
        "the scenario has no variable '{0}'{1}", "シナリオに変数 '{0}' はありません{1}", DiagnosticSeverity.Error,
        "Use a variable declared under `variables:` in the scenario.",
        "シナリオの `variables:` にある変数を使ってください。");

    public static readonly DiagnosticDescriptor UnknownAction = new("SK5104", "Unknown action",
        "the scenario has no action '{0}' to mock{1}", "モック対象のアクション '{0}' はシナリオにありません{1}", DiagnosticSeverity.Error,
        "Mock an action declared under `actions:` in the scenario.",
        "シナリオの `actions:` にあるアクションをモックしてください。");

    public static readonly DiagnosticDescriptor UnknownQueue = new("SK5105", "Unknown queue",
        "the scenario has no handoff queue '{0}'{1}", "シナリオにハンドオフキュー '{0}' はありません{1}", DiagnosticSeverity.Error,
        "Use a queue declared under `handoff.queues:` in the scenario.",
        "シナリオの `handoff.queues:` にあるキューを使ってください。");

    public static readonly DiagnosticDescriptor UnknownFlow = new("SK5106", "Unknown flow",
        "the scenario has no flow '{0}'{1}", "シナリオにフロー '{0}' はありません{1}", DiagnosticSeverity.Error,
        "Use a flow declared under `flows:` in the scenario.",
        "シナリオの `flows:` にあるフローを使ってください。");

    public static readonly DiagnosticDescriptor UnknownHandoffRule = new("SK5107", "Unknown handoff rule",
        "the scenario has no handoff rule '{0}'{1}", "シナリオにハンドオフルール '{0}' はありません{1}", DiagnosticSeverity.Error,
        "Use the id of a rule under `handoff.rules:`, or the step id of a flow's handoff step (e.g. order_status/0/onFail/0).",
        "`handoff.rules:` にあるルールの id か、フロー内の handoff ステップのステップ ID（例: order_status/0/onFail/0）を使ってください。");

    public static readonly DiagnosticDescriptor UnusedEvent = new("SK5108", "Event the scenario never reacts to",
        "no stage, proactive rule or flow of the scenario reacts to event '{0}'", "シナリオのどのステージ・プロアクティブルール・フローもイベント '{0}' に反応しません",
        DiagnosticSeverity.Warning, "Check the event name; the step will run but can only test that nothing happens.",
        "イベント名を確認してください。このステップは実行されますが、何も起きないことしか確かめられません。");

    public static readonly DiagnosticDescriptor VariableTypeMismatch = new("SK5109", "Value does not fit the variable",
        "variable '{0}' is {1}: {2}", "変数 '{0}' の型は {1} です: {2}", DiagnosticSeverity.Error,
        "Give a value of the variable's declared type (and within its enum).",
        "変数の宣言された型（と enum）に合う値を書いてください。");

    public static readonly DiagnosticDescriptor UnknownOffer = new("SK5110", "Unknown handoff channel",
        "'{0}' is not a handoff channel; expected one of: chat, phone, callback, email", "'{0}' はハンドオフのチャネルではありません（chat, phone, callback, email のいずれか）",
        DiagnosticSeverity.Error, "Offered channels are chat, phone, callback and email.",
        "連絡手段は chat, phone, callback, email です。");

    // SK52xx: intent accuracy files.
    public static readonly DiagnosticDescriptor AccuracyTooFew = new("SK5201", "Accuracy file has too few utterances",
        "intent '{0}' has {1} utterance(s) in this accuracy file; at least {2} give a meaningful rate", "インテント '{0}' の発話が {1} 件しかありません（意味のある正解率には {2} 件以上）",
        DiagnosticSeverity.Warning, "Add more utterances for the intent, ideally phrasings customers really use.",
        "お客様が実際に使う言い回しで、そのインテントの発話を増やしてください。");

    public static readonly ImmutableArray<DiagnosticDescriptor> All =
    [
        YamlSyntax, DuplicateKey, MissingKey, UnknownKey, InvalidValue, ScenarioNotCompiled, IncludeProblem,
        DuplicateTestName, UndefinedPlaceholder, InvalidPattern, InvalidFilled, FilledFromLater, NotAnAskVariable,
        UnknownIntent, UnknownStage, UnknownVariable, UnknownAction, UnknownQueue, UnknownFlow, UnknownHandoffRule,
        UnusedEvent, VariableTypeMismatch, UnknownOffer,
        AccuracyTooFew,
    ];
}
