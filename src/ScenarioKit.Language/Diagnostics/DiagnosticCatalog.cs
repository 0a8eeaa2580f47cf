using System.Collections.Frozen;
using System.Collections.Immutable;
using static ScenarioKit.Language.Diagnostics.DiagnosticSeverity;

namespace ScenarioKit.Language.Diagnostics;

/// <summary>
/// Every diagnostic the compiler reports. INVARIANT: an id keeps its meaning forever; retired ids are
/// never reused. Each id has a golden case under tests/ScenarioKit.Language.Tests/Golden and a page
/// docs/diagnostics/&lt;id&gt;.md (DiagnosticCatalogTests checks both).
/// </summary>
public static class DiagnosticCatalog
{
    // ---- SK1xxx: reading files and YAML ----
    public static readonly DiagnosticDescriptor InternalError = new("SK1000", "Internal compiler error",
        "internal compiler error: {0}", "コンパイラの内部エラー: {0}", Error,
        "This is a bug in ScenarioKit, not in your scenario. Please report it together with the file.",
        "ScenarioKit の不具合です。シナリオファイルを添えて報告してください。");
    public static readonly DiagnosticDescriptor YamlSyntax = new("SK1001", "YAML syntax error",
        "YAML syntax error: {0}", "YAML の構文エラー: {0}", Error,
        "Check indentation, colons after keys, and quotes around text containing ': ' or starting with a special character.",
        "インデント、キーの後のコロン、': ' や記号で始まる文字列の引用符を確認してください。");
    public static readonly DiagnosticDescriptor DuplicateKey = new("SK1002", "Duplicate key",
        "duplicate key '{0}' (first defined at {1})", "キー '{0}' が重複しています（最初の定義: {1}）", Error,
        "A mapping may hold each key once. Remove or rename one of the two.",
        "1 つのマッピングに同じキーは 1 回だけ書けます。どちらかを削除するか名前を変えてください。");
    public static readonly DiagnosticDescriptor TooManyNodes = new("SK1003", "Document too large after alias expansion",
        "the document expands to more than {0} nodes (anchors and aliases included); compilation of this file stopped",
        "エイリアス展開後のノード数が {0} を超えました。このファイルのコンパイルを中止しました", Error,
        "Do not use YAML aliases (*name) to multiply content; split very large scenarios into a folder.",
        "YAML のエイリアス（*name）で内容を増やさないでください。大きなシナリオはフォルダーに分割してください。");
    public static readonly DiagnosticDescriptor TooDeep = new("SK1004", "Nesting too deep",
        "nesting is deeper than {0} levels; compilation of this file stopped",
        "入れ子が {0} 段を超えています。このファイルのコンパイルを中止しました", Error,
        "Flatten the structure: move deep branches into their own flows and use goto.",
        "構造を浅くしてください。深い分岐は別のフローに移して goto で移動します。");
    public static readonly DiagnosticDescriptor FileTooLarge = new("SK1005", "File too large",
        "the file is {0} bytes; the limit is {1} bytes", "ファイルサイズ {0} バイトが上限 {1} バイトを超えています", Error,
        "Split the scenario into a folder (scenario.yaml plus flows/*.yaml and intents/*.yaml).",
        "シナリオをフォルダー（scenario.yaml と flows/*.yaml、intents/*.yaml）に分割してください。");
    public static readonly DiagnosticDescriptor NonScalarKey = new("SK1006", "Key is not text",
        "a mapping key must be text, not a {0}", "マッピングのキーは文字列でなければなりません（{0} が書かれています）", Error,
        "Write keys as plain words followed by a colon, e.g. 'prompt: …'.",
        "キーは 'prompt: …' のように単語とコロンで書いてください。");
    public static readonly DiagnosticDescriptor CannotRead = new("SK1007", "Cannot read scenario",
        "cannot read '{0}': {1}", "'{0}' を読み込めません: {1}", Error,
        "Pass a scenario file (.yaml) or a folder containing scenario.yaml.",
        "シナリオファイル（.yaml）または scenario.yaml を含むフォルダーを指定してください。");
    public static readonly DiagnosticDescriptor MultipleDocuments = new("SK1008", "More than one YAML document",
        "a scenario file holds one YAML document; another document starts here",
        "シナリオファイルに書ける YAML ドキュメントは 1 つです。ここから別のドキュメントが始まっています", Error,
        "Remove the '---' separator, or move the second document into its own file.",
        "'---' 区切りを削除するか、2 つ目のドキュメントを別のファイルに移してください。");
    public static readonly DiagnosticDescriptor UnsupportedTag = new("SK1009", "Unsupported YAML tag",
        "unsupported YAML tag '{0}' is ignored", "対応していない YAML タグ '{0}' は無視されます", Warning,
        "Remove the tag; only !!str, !!int, !!float, !!bool, !!null, !!map and !!seq are understood.",
        "タグを削除してください。使えるのは !!str、!!int、!!float、!!bool、!!null、!!map、!!seq だけです。");
    public static readonly DiagnosticDescriptor InvalidEncoding = new("SK1010", "File is not UTF-8",
        "the file is not valid UTF-8 (invalid byte at offset {0})", "ファイルが UTF-8 ではありません（オフセット {0} に不正なバイト）", Error,
        "Save the file as UTF-8 (without a byte order mark, or with one).",
        "ファイルを UTF-8 で保存し直してください。");

    // ---- SK2xxx: shape (JSON Schema and binder) ----
    public static readonly DiagnosticDescriptor TypeMismatch = new("SK2001", "Wrong type",
        "{0}: expected {1} but found {2}", "{0}: {1} が必要ですが {2} が書かれています", Error,
        "Quote text that looks like a number or true/false (\"123\", \"yes\"); use a mapping (key: value) or a list (- item) where required.",
        "数値や true/false に見える文字列は引用符で囲みます（\"123\"）。マッピング（key: value）やリスト（- item）が必要な所ではそれを書きます。");
    public static readonly DiagnosticDescriptor MissingKey = new("SK2002", "Missing required key",
        "{0} is missing the required key '{1}'", "{0} に必須のキー '{1}' がありません", Error,
        "Add the key; docs/language.md lists the required keys of each block.",
        "キーを追加してください。各ブロックの必須キーは docs/language.md にあります。");
    public static readonly DiagnosticDescriptor UnknownKey = new("SK2003", "Unknown key",
        "unknown key '{0}' in {1}{2}", "{1} に未知のキー '{0}' があります{2}", Error,
        "Check the spelling; docs/language.md lists the keys of each block.",
        "綴りを確認してください。各ブロックのキーは docs/language.md にあります。");
    public static readonly DiagnosticDescriptor NotInEnum = new("SK2004", "Value not allowed",
        "{0}: '{1}' is not allowed; expected one of {2}{3}", "{0}: '{1}' は使えません。次のいずれかを書いてください: {2}{3}", Error,
        "Use one of the listed values (they are case-sensitive).",
        "一覧の値のいずれかを書いてください（大文字と小文字は区別されます）。");
    public static readonly DiagnosticDescriptor PatternMismatch = new("SK2005", "Wrong format",
        "{0}: '{1}' does not have the required form ({2})", "{0}: '{1}' の形式が正しくありません（{2}）", Error,
        "Ids and names use lower-case letters, digits, '-' or '_'; versions are semantic versions like 1.2.3.",
        "id や名前は小文字・数字・'-'・'_' で書きます。version は 1.2.3 のようなセマンティックバージョンです。");
    public static readonly DiagnosticDescriptor OutOfRange = new("SK2006", "Number out of range",
        "{0}: {1} is out of range ({2})", "{0}: {1} は範囲外です（{2}）", Error,
        "Use a number inside the documented range.", "決められた範囲内の数値を書いてください。");
    public static readonly DiagnosticDescriptor BadLength = new("SK2007", "Text length",
        "{0}: the text is too {1} ({2})", "{0}: 文字列が{1}ます（{2}）", Error,
        "Write a non-empty text within the limit.", "上限以内の空でない文字列を書いてください。");
    public static readonly DiagnosticDescriptor BadCount = new("SK2008", "Wrong number of entries",
        "{0}: {1}", "{0}: {1}", Error,
        "Add or remove entries so the list or mapping has an allowed size.", "要素の数が許される範囲になるよう追加または削除してください。");
    public static readonly DiagnosticDescriptor NotUnique = new("SK2009", "Duplicate list entries",
        "{0} contains the same entry twice", "{0} に同じ要素が 2 回あります", Error,
        "Remove the repeated entry.", "重複した要素を削除してください。");
    public static readonly DiagnosticDescriptor NoMatchingForm = new("SK2010", "No allowed form matches",
        "{0} does not match any allowed form ({1})", "{0} はどの書き方にも当てはまりません（{1}）", Error,
        "See docs/language.md for the forms this block accepts.", "このブロックの書き方は docs/language.md を参照してください。");
    public static readonly DiagnosticDescriptor FragmentKey = new("SK2011", "Key not allowed in this folder",
        "a file under '{0}/' may only hold {2}; found '{1}'", "'{0}/' のファイルに書けるキーは {2} だけです（'{1}' があります）", Error,
        "Move the block into scenario.yaml or into the folder of its kind (flows/, intents/, actions/).",
        "このブロックは scenario.yaml か、種類に合ったフォルダー（flows/、intents/、actions/）に移してください。");
    public static readonly DiagnosticDescriptor InvalidValue = new("SK2012", "Invalid value",
        "{0}: '{1}' is not a valid {2}", "{0}: '{1}' は正しい{2}ではありません", Error,
        "Write the value in the form described in docs/language.md.", "docs/language.md の形式で値を書いてください。");

    // ---- SK3xxx: names, references and flow analysis ----
    public static readonly DiagnosticDescriptor DuplicateName = new("SK3001", "Duplicate name",
        "{0} '{1}' is defined twice (first at {2})", "{0} '{1}' が 2 回定義されています（最初の定義: {2}）", Error,
        "Names must be unique across all files of the scenario; rename or remove one.",
        "名前はシナリオの全ファイルを通して一意でなければなりません。どちらかの名前を変えるか削除してください。");
    public static readonly DiagnosticDescriptor UnknownVariable = new("SK3002", "Unknown variable",
        "unknown variable '{0}'{1}", "未定義の変数 '{0}' です{1}", Error,
        "Declare the variable under 'variables:' or fix the name.", "'variables:' に変数を宣言するか、名前を直してください。");
    public static readonly DiagnosticDescriptor UnknownIntent = new("SK3003", "Unknown intent",
        "unknown intent '{0}'{1}", "未定義のインテント '{0}' です{1}", Error,
        "Declare the intent under 'intents:' or fix the name.", "'intents:' にインテントを定義するか、名前を直してください。");
    public static readonly DiagnosticDescriptor UnknownFlow = new("SK3004", "Unknown flow",
        "unknown flow '{0}'{1}", "未定義のフロー '{0}' です{1}", Error,
        "Define the flow under 'flows:' or fix the name.", "'flows:' にフローを定義するか、名前を直してください。");
    public static readonly DiagnosticDescriptor UnknownAction = new("SK3005", "Unknown action",
        "unknown action '{0}'{1}", "未定義のアクション '{0}' です{1}", Error,
        "Define the action under 'actions:' or fix the name.", "'actions:' にアクションを定義するか、名前を直してください。");
    public static readonly DiagnosticDescriptor UnknownQueue = new("SK3006", "Unknown queue",
        "unknown handoff queue '{0}'{1}", "未定義の引き継ぎキュー '{0}' です{1}", Error,
        "Define the queue under 'handoff: queues:' or fix the name.", "'handoff: queues:' にキューを定義するか、名前を直してください。");
    public static readonly DiagnosticDescriptor UnknownStage = new("SK3007", "Unknown stage",
        "unknown journey stage '{0}'{1}", "未定義のジャーニーステージ '{0}' です{1}", Error,
        "Add the stage under 'journey:' or fix the name.", "'journey:' にステージを追加するか、名前を直してください。");
    public static readonly DiagnosticDescriptor UnreachableFlow = new("SK3008", "Unreachable flow",
        "flow '{0}' never starts: it has no trigger, and no goto or proactive rule of a reachable flow or stage leads to it",
        "フロー '{0}' は開始されません。トリガーがなく、到達可能なフローやステージからの goto・プロアクティブルールもありません", Warning,
        "Give the flow a trigger (intent or event), jump to it with 'goto: { flow: … }', or delete it.",
        "トリガー（インテントまたはイベント）を付けるか、'goto: { flow: … }' で移動するか、削除してください。");
    public static readonly DiagnosticDescriptor UnreachableStage = new("SK3009", "Unreachable stage",
        "stage '{0}' is never entered: it is not the first stage, has no 'entersOn' and no goto leads to it",
        "ステージ '{0}' に入ることがありません。最初のステージではなく、entersOn もなく、goto もありません", Warning,
        "Add 'entersOn: { event: … }' to the stage or jump to it with 'goto: { stage: … }'.",
        "ステージに 'entersOn: { event: … }' を追加するか、'goto: { stage: … }' で移動してください。");
    public static readonly DiagnosticDescriptor UnreachableStep = new("SK3010", "Unreachable step",
        "this step never runs: the flow always leaves at {0}", "このステップは実行されません。フローは常に {0} で終わります", Warning,
        "Remove the step, or move it before the goto/handoff/end.", "ステップを削除するか、goto/handoff/end の前に移してください。");
    public static readonly DiagnosticDescriptor EmptyPrompt = new("SK3011", "Ask without prompt",
        "ask '{0}' has no prompt: the customer would not know what to answer",
        "ask '{0}' にプロンプトがありません。お客様は何を答えればよいか分かりません", Error,
        "Write the question in 'prompt:'.", "'prompt:' に質問文を書いてください。");
    public static readonly DiagnosticDescriptor MaxAttemptsRange = new("SK3012", "Retries without limit",
        "maxAttempts is {0}; it must be between 1 and 10 so that a customer who cannot answer is not stuck",
        "maxAttempts が {0} です。答えられないお客様が抜け出せるよう 1〜10 にしてください", Error,
        "Use a small number (3 is usual) and add 'onFail:' (e.g. a handoff).", "小さな値（通常 3）にして 'onFail:'（例: handoff）を追加してください。");
    public static readonly DiagnosticDescriptor QueueWithoutHours = new("SK3013", "Queue without hours",
        "handoff to queue '{0}', which has no 'hours': it is treated as always staffed",
        "キュー '{0}' に 'hours' がないため、常に対応可能とみなして引き継ぎます", Warning,
        "Write the queue's opening hours (e.g. \"Mon-Fri 09:00-18:00\"), or \"24/7\" if it is really always staffed.",
        "キューの営業時間（例: \"Mon-Fri 09:00-18:00\"）を書くか、常時対応なら \"24/7\" と書いてください。");
    public static readonly DiagnosticDescriptor PatternCatchesExample = new("SK3030", "Pattern or keyword catches another intent's example",
        "{0} '{1}' of intent '{2}' matches '{3}', an example of intent '{4}': the recognizer answers '{2}' to it",
        "インテント '{2}' の{0} '{1}' がインテント '{4}' の例文 '{3}' に一致します。認識結果は '{2}' になります", Warning,
        "Make the pattern or keyword more specific (a pattern can exclude the other intent's words, e.g. '予約(?!.*キャンセル)'), or move the example to the intent it belongs to.",
        "パターンやキーワードをより具体的にするか（例: '予約(?!.*キャンセル)' で他のインテントの語を除く）、例文を正しいインテントに移してください。");
    public static readonly DiagnosticDescriptor MissingActionParameter = new("SK3031", "Action uses a parameter it does not have",
        "action '{0}' uses '{1}', which is neither one of its parameters nor a variable: {2}; {3}",
        "アクション '{0}' が '{1}' を使っていますが、パラメーターにも変数にもありません。{2}。{3}", Error,
        "Add the name to the action's 'params' and pass it from every call step (with: { name: … }), or fix the name.",
        "名前をアクションの 'params' に追加してすべての call ステップから渡す（with: { name: … }）か、名前を直してください。");
    public static readonly DiagnosticDescriptor UndeclaredHttpParams = new("SK3032", "HTTP action without params",
        "HTTP action '{0}' does not declare its parameters; add 'params: [{1}]'",
        "HTTP アクション '{0}' にパラメーターの宣言がありません。'params: [{1}]' を追加してください", Warning,
        "Declare under 'params:' every name the URL, headers and body use as ${name}; call steps pass them with 'with:'.",
        "URL・ヘッダー・本文で ${name} として使う名前をすべて 'params:' に書きます。call ステップは 'with:' で渡します。");
    public static readonly DiagnosticDescriptor TooFewExamples = new("SK3101", "Too few examples",
        "intent '{0}' has {1} example(s) and no patterns or keywords; at least 3 are needed to recognise it reliably",
        "インテント '{0}' の例文が {1} 件しかなく、パターンもキーワードもありません。確実に認識するには 3 件以上必要です", Warning,
        "Add more varied examples, or a pattern or keyword.", "言い回しの違う例文を追加するか、パターンやキーワードを追加してください。");
    public static readonly DiagnosticDescriptor SimilarIntents = new("SK3102", "Ambiguous intents",
        "intent '{0}' has an example nearly identical to one of intent '{1}' ('{2}' / '{3}'); the recognizer cannot tell them apart",
        "インテント '{0}' の例文がインテント '{1}' の例文とほぼ同じです（'{2}' / '{3}'）。認識時に区別できません", Warning,
        "Remove or reword one of the two examples, or merge the intents.", "どちらかの例文を削除・言い換えるか、インテントを統合してください。");
    public static readonly DiagnosticDescriptor SharedPatternOrKeyword = new("SK3103", "Intents share a pattern or keyword",
        "intent '{0}' has the same {1} as intent '{2}' ('{3}'); the recognizer tries '{2}' first and cannot tell them apart",
        "インテント '{0}' にインテント '{2}' と同じ{1}があります（'{3}'）。認識は '{2}' を先に調べるため、2 つを区別できません", Warning,
        "Remove the pattern or keyword from one intent, make it more specific, or merge the intents.",
        "どちらかのインテントからパターンやキーワードを削除するか、より具体的にするか、インテントを統合してください。");
    public static readonly DiagnosticDescriptor GotoCycle = new("SK3016", "Loop without input",
        "flows {0} jump to each other with no ask in between: the bot would loop forever without waiting for the customer",
        "フロー {0} が ask を挟まずに互いに goto しています。お客様の入力を待たずに無限に繰り返します", Error,
        "Put an 'ask' before the goto, or end one of the flows.", "goto の前に 'ask' を入れるか、いずれかのフローを終了させてください。");
    public static readonly DiagnosticDescriptor BadDefault = new("SK3017", "Invalid default",
        "default of variable '{0}' {1}", "変数 '{0}' の既定値が正しくありません: {1}", Error,
        "Make the default fit the variable's type and enum.", "既定値を変数の型と enum に合わせてください。");
    public static readonly DiagnosticDescriptor InvalidRegex = new("SK3018", "Invalid regular expression",
        "invalid regular expression: {0}", "正規表現が正しくありません: {0}", Error,
        "Fix the .NET regular expression; remember to quote patterns with single quotes in YAML.",
        ".NET の正規表現を修正してください。YAML ではパターンを単一引用符で囲みます。");
    public static readonly DiagnosticDescriptor SlowRegex = new("SK3019", "Regex may backtrack catastrophically",
        "regular expression nests unbounded repetition ('{0}') and may take exponential time on some inputs",
        "正規表現が無制限の繰り返しを入れ子にしています（'{0}'）。入力によっては指数時間かかります", Warning,
        "Remove the inner or outer quantifier, e.g. write '(ab)+' instead of '(a+b?)+'.",
        "内側か外側の量指定子を外してください（例: '(a+b?)+' ではなく '(ab)+'）。");
    public static readonly DiagnosticDescriptor InvalidHours = new("SK3020", "Invalid opening hours",
        "invalid opening hours '{0}': {1}", "営業時間 '{0}' が正しくありません: {1}", Error,
        "Write ';'-separated groups like \"Mon-Fri 09:00-18:00; Sat 10:00-17:00\", or \"24/7\".",
        "\"Mon-Fri 09:00-18:00; Sat 10:00-17:00\" のように ';' 区切りで書くか、\"24/7\" と書いてください。");
    public static readonly DiagnosticDescriptor UnknownTimeZone = new("SK3021", "Unknown time zone",
        "unknown time zone '{0}'{1}", "不明なタイムゾーン '{0}' です{1}", Error,
        "Use an IANA time zone name such as Asia/Tokyo, Europe/London or UTC.",
        "Asia/Tokyo、Europe/London、UTC のような IANA タイムゾーン名を書いてください。");
    public static readonly DiagnosticDescriptor InvalidDuration = new("SK3022", "Invalid duration",
        "invalid duration '{0}'", "期間 '{0}' が正しくありません", Error,
        "Write a positive duration such as 30s, 10m, 2h, 1d or 1h30m.", "30s、10m、2h、1d、1h30m のような正の期間を書いてください。");
    public static readonly DiagnosticDescriptor SetTypeMismatch = new("SK3023", "Value does not fit variable",
        "variable '{0}' holds {1}; {2} does not fit", "変数 '{0}' の型は{1}です。{2} は代入できません", Error,
        "Assign a value of the variable's type (quote text, e.g. \"123\").", "変数の型に合う値を代入してください（文字列は \"123\" のように引用符で囲みます）。");
    public static readonly DiagnosticDescriptor UnknownArgument = new("SK3024", "Unknown argument",
        "action '{0}' has no parameter '{1}'{2}", "アクション '{0}' にパラメーター '{1}' はありません{2}", Warning,
        "Add the name to the action's 'params', or fix the argument name.", "アクションの 'params' に名前を追加するか、引数名を直してください。");
    public static readonly DiagnosticDescriptor IncompleteExpectation = new("SK3025", "Incomplete expectation",
        "expect type '{0}' needs '{1}'", "expect の type '{0}' には '{1}' が必要です", Error,
        "Add the missing key, or choose another type.", "不足しているキーを追加するか、別の type を選んでください。");
    public static readonly DiagnosticDescriptor VariablePrefixConflict = new("SK3026", "Variable is also an object",
        "variable '{0}' is also the prefix of variable '{1}'; a name cannot be both a value and an object",
        "変数 '{0}' は変数 '{1}' の接頭辞でもあります。同じ名前を値とオブジェクトの両方には使えません", Error,
        "Rename one of them, e.g. 'order.id' and 'order.status' instead of 'order' and 'order.status'.",
        "どちらかの名前を変えてください（例: 'order' と 'order.status' ではなく 'order.id' と 'order.status'）。");
    public static readonly DiagnosticDescriptor DuplicateTrigger = new("SK3027", "Intent triggers two flows",
        "intent '{0}' already starts flow '{1}'; flow '{2}' is never started by it",
        "インテント '{0}' はすでにフロー '{1}' を開始します。フロー '{2}' はこのインテントでは開始されません", Warning,
        "Give each intent one flow; branch inside the flow with 'if' instead.", "インテントごとにフローを 1 つにして、分岐はフロー内の 'if' で書いてください。");
    public static readonly DiagnosticDescriptor MinGreaterThanMax = new("SK3028", "min greater than max",
        "min ({0}) is greater than max ({1}): no answer can be accepted", "min（{0}）が max（{1}）より大きいため、どの回答も受け付けられません", Error,
        "Swap or correct the bounds.", "上限と下限を入れ替えるか直してください。");
    public static readonly DiagnosticDescriptor ReservedName = new("SK3029", "Reserved variable name",
        "variable name '{0}' is reserved: in expressions '{1}' means {2}", "変数名 '{0}' は予約されています。式では '{1}' は{2}を表します", Error,
        "Choose another name, e.g. 'customer.stage' instead of 'stage'.", "別の名前にしてください（例: 'stage' ではなく 'customer.stage'）。");
    public static readonly DiagnosticDescriptor MaxWaitRange = new("SK3040", "maxWait out of range",
        "maxWait '{0}' is out of range: a queue's maxWait is 30s to 24h",
        "maxWait '{0}' が範囲外です。キューの maxWait は 30s〜24h です", Error,
        "Use a wait a customer can bear and an agent can meet, e.g. 5m or 10m; leave maxWait out to wait until an agent accepts.",
        "お客様が待てて担当者が応じられる時間（例: 5m、10m）にしてください。担当者が応答するまで待つなら maxWait を書きません。");
    public static readonly DiagnosticDescriptor MaxWaitWithoutTimeout = new("SK3041", "maxWait without onTimeout",
        "queue '{0}' has maxWait but the handoff has no 'onTimeout': a customer who waits too long gets only a built-in message",
        "キュー '{0}' に maxWait がありますが、handoff に 'onTimeout' がありません。待ちすぎたお客様には組み込みの文面しか届きません", Warning,
        "Add 'handoff: onTimeout: { say: …, offer: [callback, email] }' so the customer is offered another way.",
        "'handoff: onTimeout: { say: …, offer: [callback, email] }' を追加して、別の連絡方法を案内してください。");
    public static readonly DiagnosticDescriptor DuplicateCannedTitle = new("SK3042", "Duplicate canned title",
        "canned response '{0}' appears twice in queue '{1}' (first at {2})",
        "定型文 '{0}' がキュー '{1}' に 2 回あります（最初の定義: {2}）", Warning,
        "Agents find canned responses by title; give each one a different title or remove the copy.",
        "担当者は見出しで定型文を探します。見出しを変えるか、重複を削除してください。");
    public static readonly DiagnosticDescriptor TimeoutOfferNotTaken = new("SK3043", "Offered channel nobody takes",
        "handoff.onTimeout offers '{0}', but no flow has a 'ticket' step of kind '{0}' to take the request",
        "handoff.onTimeout で '{0}' を提示していますが、その依頼を受け付ける kind '{0}' の 'ticket' ステップを持つフローがありません", Warning,
        "Add a flow (triggered by the offered suggestion's intent) with a 'ticket: { kind: …, contact: … }' step, or remove the channel from 'offer'.",
        "提示したボタンのインテントで始まり 'ticket: { kind: …, contact: … }' ステップを持つフローを追加するか、'offer' からその手段を外してください。");
    public static readonly DiagnosticDescriptor TicketIntoNotText = new("SK3044", "Ticket number into a non-text variable",
        "the ticket number goes into variable '{0}', which holds {1}; a ticket number is text",
        "受付番号は変数 '{0}' に入りますが、この変数の型は{1}です。受付番号は文字列です", Error,
        "Declare the variable as 'type: string', or use another variable.", "変数を 'type: string' で宣言するか、別の変数を使ってください。");
    public static readonly DiagnosticDescriptor InvalidDate = new("SK3050", "Invalid date",
        "'{0}' is not a valid {1}", "'{0}' は{1}として正しくありません", Error,
        "Write a date as 2026-12-05; a bound as today, +30d or -1d (days) or +2w (weeks); a yearly closed day as 12-31; a range as 12-29..01-03.",
        "日付は 2026-12-05、範囲の端は today・+30d・-1d（日）・+2w（週）、毎年の休業日は 12-31、期間は 12-29..01-03 のように書きます。");
    public static readonly DiagnosticDescriptor ReversedDateRange = new("SK3051", "Date range ends before it starts",
        "the closed range '{0}' ends before it starts",
        "休業期間 '{0}' は終わりが始まりより前です", Error,
        "Swap the two dates. Only a yearly range (MM-DD..MM-DD, e.g. 12-29..01-03) may run over the year end.",
        "2 つの日付を入れ替えてください。年をまたげるのは毎年の期間（MM-DD..MM-DD、例: 12-29..01-03）だけです。");
    public static readonly DiagnosticDescriptor DateMinAfterMax = new("SK3052", "Earliest date after the latest",
        "min ({0}) is after max ({1}): no date can be accepted", "min（{0}）が max（{1}）より後のため、どの日付も受け付けられません", Error,
        "Swap or correct the bounds.", "上限と下限を入れ替えるか直してください。");
    public static readonly DiagnosticDescriptor UnknownWeekday = new("SK3053", "Unknown weekday",
        "unknown weekday '{0}' (use mon, tue, wed, thu, fri, sat, sun){1}", "曜日 '{0}' が不明です（mon、tue、wed、thu、fri、sat、sun を使います）{1}", Error,
        "List the allowed days, e.g. 'weekdays: [mon, tue, wed, thu, fri]'.", "受け付ける曜日を 'weekdays: [mon, tue, wed, thu, fri]' のように並べてください。");
    public static readonly DiagnosticDescriptor FutureAndPast = new("SK3054", "future and past together",
        "'future' and 'past' together accept no date (today is neither)", "'future' と 'past' を両方指定すると、どの日付も受け付けられません（今日はどちらでもありません）", Error,
        "Keep one of them; for a window around today use min and max (e.g. min: -7d, max: +7d).",
        "どちらか一方にしてください。今日の前後を許すなら min と max（例: min: -7d、max: +7d）を使います。");
    public static readonly DiagnosticDescriptor BoundWithoutOrder = new("SK3055", "min or max on an answer without order",
        "'{0}' does not apply to an answer of type {1}: only numbers, text length and dates have bounds",
        "'{0}' は {1} の回答には使えません。上限・下限があるのは数値・文字数・日付だけです", Error,
        "Remove the bound, or check the value with 'validate' (e.g. \"value >= '09:00'\" for a time).",
        "上限・下限を外すか、'validate' で値を確かめてください（時刻なら \"value >= '09:00'\" など）。");
    public static readonly DiagnosticDescriptor DateRuleOnOtherKind = new("SK3056", "Date rule on an answer that is not a date",
        "'{0}' only applies to 'type: date' or 'type: datetime', not to an answer of type {1}",
        "'{0}' は 'type: date' か 'type: datetime' にだけ使えます（この回答は {1} です）", Error,
        "Set 'type: date', or remove the rule.", "'type: date' にするか、この指定を外してください。");
    public static readonly DiagnosticDescriptor BoundKindMismatch = new("SK3057", "Bound of the wrong kind",
        "'{0}: {1}' does not fit an answer of type {2}: {3}", "'{0}: {1}' は {2} の回答に合いません: {3}", Error,
        "Give numbers for number, integer and text answers, and dates (2026-12-05, today, +30d) for date answers.",
        "number・integer・text の回答には数値を、date の回答には日付（2026-12-05、today、+30d）を書きます。");
    public static readonly DiagnosticDescriptor PiiInUrl = new("SK3080", "Personal data in a URL",
        "personal variable '{0}' goes into the URL of http action '{1}' (argument '{2}'): URLs are kept in server and proxy logs",
        "個人情報の変数 '{0}' が http アクション '{1}' の URL に入ります（引数 '{2}'）。URL はサーバーやプロキシのログに残ります", Warning,
        "Send the value in the request body (http.body) or a header instead of the URL, e.g. body: '{ \"phone\": \"${phone}\" }' with method: POST.",
        "値は URL ではなくリクエスト本文（http.body）かヘッダーで送ってください（例: method: POST と body: '{ \"phone\": \"${phone}\" }'）。");
    public static readonly DiagnosticDescriptor PiiOutsideVariable = new("SK3081", "pii outside a variable declaration",
        "'pii' marks a variable declaration, not {0}",
        "'pii' は変数の宣言に付けるものです。{0} には付けられません", Error,
        "Remove 'pii' here and declare the variable with it: variables: { contact.phone: { type: string, pii: true } }.",
        "ここの 'pii' を消し、変数の宣言に付けてください: variables: { contact.phone: { type: string, pii: true } }。");
    public static readonly DiagnosticDescriptor VocabularyVariantTwice = new("SK3070", "Vocabulary variant claimed twice",
        "variant '{0}' belongs to vocabulary term '{1}' and to term '{2}': customer text can be rewritten to only one",
        "言い換え '{0}' が語彙 '{1}' と '{2}' の両方にあります。お客様の文はどちらか一方にしか置き換えられません", Error,
        "Keep the variant under one term; if the two terms mean the same, make one a variant of the other.",
        "言い換えはどちらか一方の語彙に残してください。2 つの語彙が同じ意味なら、一方をもう一方の言い換えにしてください。");
    public static readonly DiagnosticDescriptor VocabularyChain = new("SK3071", "Vocabulary variant is itself a term",
        "variant '{0}' of '{1}' is itself a vocabulary term: text rewritten to '{1}' would depend on the order of rewriting",
        "語彙 '{1}' の言い換え '{0}' は、それ自体が語彙として定義されています。置き換えの結果が順序で変わってしまいます", Error,
        "Rewrite to one canonical term: move the variants of '{0}' under '{1}' and remove the entry '{0}'.",
        "正規の語を 1 つにしてください。'{0}' の言い換えを '{1}' の下に移し、'{0}' の項目を削除してください。");
    public static readonly DiagnosticDescriptor AskTypeMismatch = new("SK3060", "Answer does not fit the variable",
        "ask '{0}' takes {1}, but the variable is declared as {2}",
        "ask '{0}' が受け取るのは{1}ですが、変数の型は{2}と宣言されています", Error,
        "Declare the variable with the type the answer has (number/integer for numbers, boolean for yes/no, string for the rest), or change 'expect'.",
        "回答の型に合わせて変数を宣言してください（数値は number/integer、はい・いいえは boolean、それ以外は string）。または 'expect' を直してください。");
    public static readonly DiagnosticDescriptor TextTemplateIntoNonText = new("SK3061", "Text template into a non-text variable",
        "'{0}' mixes text and ${{…}}, so its value is always text, but variable '{1}' holds {2}",
        "'{0}' は文字列と ${{…}} を組み合わせているため値は常に文字列ですが、変数 '{1}' の型は{2}です", Error,
        "Write the value as one expression (\"${cart.total * 2}\") to keep its type, or declare the variable as 'type: string'.",
        "型を保つには値を 1 つの式（\"${cart.total * 2}\"）で書くか、変数を 'type: string' で宣言してください。");

    // ---- SK4xxx: expressions, templates, scripts ----
    public static readonly DiagnosticDescriptor ExpressionSyntax = new("SK4001", "Expression syntax error",
        "expression syntax error: {0}", "式の構文エラー: {0}", Error,
        "Write one JavaScript expression, e.g. \"cart.total >= 30000 && stage == 'checkout'\".",
        "\"cart.total >= 30000 && stage == 'checkout'\" のように JavaScript の式を 1 つ書いてください。");
    public static readonly DiagnosticDescriptor TemplateSyntax = new("SK4002", "Template error",
        "template error: {0}", "テンプレートのエラー: {0}", Error,
        "Close every '${' with '}', and write '$${' for a literal '${'.", "'${' は必ず '}' で閉じます。文字どおりの '${' は '$${' と書きます。");
    public static readonly DiagnosticDescriptor NotAnExpression = new("SK4003", "Not a pure expression",
        "{0} is not allowed in an expression: conditions and templates only compute a value",
        "式の中で{0}は使えません。条件とテンプレートは値を計算するだけです", Error,
        "Remove assignments, functions, loops and statements; change variables with a 'set' step.",
        "代入・関数・ループ・文を取り除いてください。変数の変更は 'set' ステップで行います。");
    public static readonly DiagnosticDescriptor ScriptSyntax = new("SK4004", "Script syntax error",
        "script syntax error: {0}", "スクリプトの構文エラー: {0}", Error,
        "The script is a JavaScript function body: statements ending with 'return <value>;'.",
        "スクリプトは JavaScript の関数本体です。'return <値>;' で結果を返します。");
    public static readonly DiagnosticDescriptor QueueOutsideWaiting = new("SK4010", "queue outside the waiting notice",
        "'{0}' is only known in handoff.waiting (the waiting notice)",
        "'{0}' は handoff.waiting（待機中のお知らせ）の中でだけ使えます", Error,
        "Use queue.position, queue.waitMinutes and queue.name only in 'handoff: waiting:'.",
        "queue.position・queue.waitMinutes・queue.name は 'handoff: waiting:' の中でだけ使ってください。");
    public static readonly DiagnosticDescriptor UnknownQueueMember = new("SK4011", "Unknown queue value",
        "'queue.{0}' is not known; the waiting notice sees queue.position, queue.waitMinutes and queue.name{1}",
        "'queue.{0}' はありません。待機中のお知らせで使えるのは queue.position・queue.waitMinutes・queue.name です{1}", Error,
        "Fix the name: position (1-based place in the queue), waitMinutes (estimated, rounded up) or name (the queue).",
        "名前を直してください: position（待ち順、1 から）、waitMinutes（目安の待ち時間、分、切り上げ）、name（キュー名）。");
    public static readonly DiagnosticDescriptor DatesInUtc = new("SK4020", "Dates read in UTC",
        "this ask reads dates, but the scenario has no 'timezone': today and tomorrow are taken in UTC",
        "この質問は日付を読み取りますが、シナリオに 'timezone' がありません。今日・明日は UTC で判断されます", Warning,
        "Add 'timezone: Asia/Tokyo' (your customers' IANA zone) at the top level: in Tokyo, 16:00 UTC is already tomorrow.",
        "トップレベルに 'timezone: Asia/Tokyo'（お客様の IANA タイムゾーン）を書いてください。東京では UTC 16:00 はもう翌日です。");
    public static readonly DiagnosticDescriptor ValidateIgnoresValue = new("SK4021", "validate rule ignores the answer",
        "this validate rule does not use 'value', so it gives the same result whatever the customer answers",
        "この validate の条件は 'value' を使っていないため、お客様が何と答えても結果が変わりません", Warning,
        "Check the answer through 'value', e.g. \"value <= limit\" or \"value != today\".",
        "\"value <= limit\" や \"value != today\" のように 'value' で回答を確かめてください。");
    public static readonly DiagnosticDescriptor OutOfHoursNeverUsed = new("SK4022", "Queue out-of-hours answer never used",
        "queue '{0}' is always open (no 'hours', no 'closed'), so its 'outOfHours' is never said",
        "キュー '{0}' は常に開いている（'hours' も 'closed' もない）ため、この 'outOfHours' は使われません", Warning,
        "Give the queue 'hours' (and 'closed' days), or remove its 'outOfHours'.",
        "キューに 'hours'（と 'closed'）を書くか、'outOfHours' を外してください。");
    public static readonly DiagnosticDescriptor FewExamples = new("SK4035", "Few examples",
        "intent '{0}' has {1} example(s); with fewer than {2}, paraphrases customers type are missed and cross-validation has no example to hold out in some folds",
        "インテント '{0}' の例文が {1} 件です。{2} 件未満ではお客様の言い換えを取りこぼし、交差検証でも例文を残せない分割ができます", Warning,
        "Add varied examples: casual and polite wording, other words for the same thing, and the other language the scenario serves.",
        "言い回しの違う例文を追加してください。くだけた言い方と丁寧な言い方、同じ意味の別の語、シナリオが対応するもう一つの言語などです。");
    public static readonly DiagnosticDescriptor VariantIsKeyword = new("SK4030", "Vocabulary variant used as a keyword",
        "keyword '{0}' of intent '{1}' is a variant of vocabulary term '{2}': it is matched as '{2}', so every variant of '{2}' selects '{1}'",
        "インテント '{1}' のキーワード '{0}' は語彙 '{2}' の言い換えです。'{2}' として照合されるため、'{2}' のどの言い換えでも '{1}' が選ばれます", Warning,
        "Write the keyword as the term '{2}' if that is meant; if only this wording should select the intent, remove it from the vocabulary.",
        "意図どおりならキーワードを語彙 '{2}' で書いてください。この言い方だけでインテントを選びたいなら、語彙から外してください。");
    public static readonly DiagnosticDescriptor VocabularyMergesKeywords = new("SK4031", "Vocabulary makes two intents' keywords the same",
        "after vocabulary, keyword '{0}' of intent '{1}' and keyword '{2}' of intent '{3}' are both '{4}': the earlier intent always wins",
        "語彙を適用すると、インテント '{1}' のキーワード '{0}' とインテント '{3}' のキーワード '{2}' はどちらも '{4}' になり、常に先のインテントが選ばれます", Warning,
        "Remove one keyword, or take the variant out of the vocabulary if the two words mean different things here.",
        "どちらかのキーワードを削除するか、この場面で 2 つの語の意味が違うなら言い換えを語彙から外してください。");
    public static readonly DiagnosticDescriptor VariantSameAsTerm = new("SK4032", "Vocabulary variant equals its term",
        "variant '{0}' is the term '{1}' itself (after normalisation and kana folding): it changes nothing",
        "言い換え '{0}' は（正規化・かなの統一の後で）語彙 '{1}' そのものです。何も変わりません", Warning,
        "Remove the variant: width, case, hiragana/katakana and long-vowel differences are already ignored.",
        "言い換えを削除してください。全角/半角、大文字/小文字、ひらがな/カタカナ、長音の違いは最初から無視されます。");
    public static readonly DiagnosticDescriptor FreeTextNeverFilled = new("SK4025", "Free text cannot be filled",
        "ask '{0}' takes any text, so 'fill: true' has no effect: free text is only filled with a 'pattern' or 'extract'",
        "ask '{0}' は任意の文字列を受け取るため 'fill: true' は効きません。自由入力は 'pattern' か 'extract' があるときだけ埋まります", Warning,
        "Add 'extract' with a regex whose group 'value' is the value, e.g. '(?<value>\\S+)で予約', or remove 'fill'.",
        "グループ value が値になる正規表現を 'extract' に書いてください（例: '(?<value>\\S+)で予約'）。または 'fill' を削除してください。");
    public static readonly DiagnosticDescriptor NothingCancels = new("SK4026", "Nothing cancels a form",
        "'cancel' has builtIn: false and no patterns or intent, so no message cancels a form",
        "'cancel' は builtIn: false で patterns も intent もないため、どのメッセージでもフォームを取り消せません", Warning,
        "Write 'cancel: false' to turn cancelling off on purpose, or add 'patterns' or an 'intent'.",
        "取り消しを意図して無効にするなら 'cancel: false' と書き、そうでなければ 'patterns' か 'intent' を追加してください。");

    public static ImmutableArray<DiagnosticDescriptor> All { get; } =
    [
        InternalError, YamlSyntax, DuplicateKey, TooManyNodes, TooDeep, FileTooLarge, NonScalarKey, CannotRead, MultipleDocuments, UnsupportedTag, InvalidEncoding,
        TypeMismatch, MissingKey, UnknownKey, NotInEnum, PatternMismatch, OutOfRange, BadLength, BadCount, NotUnique, NoMatchingForm, FragmentKey, InvalidValue,
        DuplicateName, UnknownVariable, UnknownIntent, UnknownFlow, UnknownAction, UnknownQueue, UnknownStage, UnreachableFlow, UnreachableStage, UnreachableStep,
        EmptyPrompt, MaxAttemptsRange, QueueWithoutHours, TooFewExamples, SimilarIntents, SharedPatternOrKeyword, GotoCycle, BadDefault, InvalidRegex, SlowRegex, InvalidHours,
        UnknownTimeZone, InvalidDuration, SetTypeMismatch, UnknownArgument, IncompleteExpectation, VariablePrefixConflict, DuplicateTrigger, MinGreaterThanMax, ReservedName,
        MaxWaitRange, MaxWaitWithoutTimeout, DuplicateCannedTitle, TimeoutOfferNotTaken, TicketIntoNotText,
        InvalidDate, ReversedDateRange, DateMinAfterMax, UnknownWeekday, FutureAndPast, BoundWithoutOrder, DateRuleOnOtherKind, BoundKindMismatch,
        PiiInUrl, PiiOutsideVariable,
        VocabularyVariantTwice, VocabularyChain, VariantIsKeyword, VocabularyMergesKeywords, VariantSameAsTerm,
        AskTypeMismatch, TextTemplateIntoNonText,
        PatternCatchesExample, MissingActionParameter, UndeclaredHttpParams,
        ExpressionSyntax, TemplateSyntax, NotAnExpression, ScriptSyntax, QueueOutsideWaiting, UnknownQueueMember,
        DatesInUtc, ValidateIgnoresValue, OutOfHoursNeverUsed,
        FewExamples,
        FreeTextNeverFilled, NothingCancels,
    ];

    static readonly FrozenDictionary<string, DiagnosticDescriptor> ById = All.ToFrozenDictionary(d => d.Id, StringComparer.Ordinal);

    public static DiagnosticDescriptor? Find(string id) => ById.GetValueOrDefault(id);
}
