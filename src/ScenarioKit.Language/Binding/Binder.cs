using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Language.Syntax;
using ScenarioKit.Model;

namespace ScenarioKit.Language.Binding;

internal enum ExprScope { General, Retry, Action, Waiting, Validate }

/// <summary>An expression as written: the scalar it sits in and where in the scalar's value it starts.</summary>
internal sealed record ExprSite(Expression Expression, ScalarNode Node, int Offset, ExprScope Scope, string? Action);

internal enum RefKind { Variable, Intent, Flow, Action, Queue, Stage }

internal sealed record Reference(RefKind Kind, string Name, SourceSpan Span);

internal sealed record RegexSite(string Pattern, ScalarNode Node);

internal sealed record ScriptSite(string Action, ScalarNode Node, ImmutableArray<string> Parameters);

internal sealed record CallSite(string Action, ImmutableArray<(string Name, SourceSpan Span)> Arguments, SourceSpan Span);

/// <summary>An HTTP action and its <c>params</c>; null when it declares none (allowed with SK3032, the names are then taken from its calls).</summary>
internal sealed record HttpActionSite(string Action, ImmutableArray<string>? Params, SourceSpan Span);

/// <summary>What binding produced: the model plus the places the checks need to point at.</summary>
internal sealed class BoundScenario
{
    public required ScenarioModel Model { get; init; }
    public List<ExprSite> Expressions { get; } = [];
    public List<Reference> References { get; } = [];
    public List<RegexSite> Regexes { get; } = [];
    public List<ScriptSite> Scripts { get; } = [];
    public List<CallSite> Calls { get; } = [];
    public List<HttpActionSite> HttpActions { get; } = [];
    public Dictionary<string, List<ScalarNode>> IntentExamples { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, List<ScalarNode>> IntentPatterns { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, List<ScalarNode>> IntentKeywords { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, ScalarNode> FlowNames { get; } = new(StringComparer.Ordinal);
    /// <summary>The <c>vocabulary</c> entries: each canonical term's key node and its variants' nodes.</summary>
    public List<(ScalarNode Term, List<ScalarNode> Variants)> Vocabulary { get; } = [];
    /// <summary>Names written as definitions, bound or not: a definition with a wrong shape is reported once, not again at each use.</summary>
    public Dictionary<RefKind, HashSet<string>> Declared { get; } = [];
}

/// <summary>
/// Tree → <see cref="ScenarioModel"/>. Runs after the schema check, also when it found errors, and does
/// not trust it: every accessor checks the node kind, reports SK2xxx itself and skips a node of the wrong
/// shape, so no shape can crash binding (<see cref="SchemaRecovery"/> drops what the schema already said).
/// Names are collected here; references are resolved by <see cref="SemanticChecker"/>.
/// </summary>
internal sealed partial class Binder
{
    readonly DiagnosticBag d;
    readonly BoundCollector c = new();

    sealed class BoundCollector
    {
        public readonly List<ExprSite> Expressions = [];
        public readonly List<Reference> References = [];
        public readonly List<RegexSite> Regexes = [];
        public readonly List<ScriptSite> Scripts = [];
        public readonly List<CallSite> Calls = [];
        public readonly List<HttpActionSite> HttpActions = [];
        public readonly Dictionary<string, List<ScalarNode>> IntentExamples = new(StringComparer.Ordinal);
        public readonly Dictionary<string, List<ScalarNode>> IntentPatterns = new(StringComparer.Ordinal);
        public readonly Dictionary<string, List<ScalarNode>> IntentKeywords = new(StringComparer.Ordinal);
        public readonly Dictionary<string, ScalarNode> FlowNames = new(StringComparer.Ordinal);
        /// <summary>The <c>type</c> of each date or datetime ask, for the time-zone warning (SK4020).</summary>
        public readonly List<SourceSpan> DateAsks = [];
        public readonly List<(ScalarNode Term, List<ScalarNode> Variants)> Vocabulary = [];
    }

    Binder(DiagnosticBag diagnostics) => d = diagnostics;

    static readonly string[] TopKeys =
        ["scenarioKit", "id", "version", "locale", "description", "recognizer", "welcome", "fallback", "variables", "intents", "journey", "flows", "actions", "handoff", "timezone", "vocabulary", "cancel"];

    public static BoundScenario Bind(MappingNode root, IReadOnlyList<SourceFile> files, DiagnosticBag diagnostics)
    {
        var b = new Binder(diagnostics);
        var model = b.BindScenario(root, files);
        var bound = new BoundScenario { Model = model };
        bound.Expressions.AddRange(b.c.Expressions);
        bound.References.AddRange(b.c.References);
        bound.Regexes.AddRange(b.c.Regexes);
        bound.Scripts.AddRange(b.c.Scripts);
        bound.Calls.AddRange(b.c.Calls);
        bound.HttpActions.AddRange(b.c.HttpActions);
        foreach (var kv in b.c.IntentExamples) bound.IntentExamples[kv.Key] = kv.Value;
        foreach (var kv in b.c.IntentPatterns) bound.IntentPatterns[kv.Key] = kv.Value;
        foreach (var kv in b.c.IntentKeywords) bound.IntentKeywords[kv.Key] = kv.Value;
        foreach (var kv in b.c.FlowNames) bound.FlowNames[kv.Key] = kv.Value;
        bound.Vocabulary.AddRange(b.c.Vocabulary);
        bound.Declared[RefKind.Variable] = SchemaRecovery.DeclaredNames(root, "variables");
        bound.Declared[RefKind.Intent] = SchemaRecovery.DeclaredNames(root, "intents");
        bound.Declared[RefKind.Flow] = SchemaRecovery.DeclaredNames(root, "flows");
        bound.Declared[RefKind.Action] = SchemaRecovery.DeclaredNames(root, "actions");
        return bound;
    }

    ScenarioModel BindScenario(MappingNode root, IReadOnlyList<SourceFile> files)
    {
        CheckKeys(root, "", TopKeys);
        var languageVersion = 1;
        if (Required(root, "scenarioKit", "") is { } lv)
        {
            if (lv is ScalarNode { Kind: ScalarKind.Integer } s && s.Value == "1") languageVersion = 1;
            else d.Report(DiagnosticCatalog.NotInEnum, lv.Span, new Localized("scenarioKit", "scenarioKit"), Text(lv), "1", Localized.Empty);
        }
        var id = RequiredString(root, "id", "") ?? "";
        if (id.Length > 0 && !IdPattern().IsMatch(id))
            d.Report(DiagnosticCatalog.PatternMismatch, root["id"]!.Span, new Localized("id", "id"), id, Schema.PatternText.Describe("^[a-z][a-z0-9-]*$"));
        var version = RequiredString(root, "version", "") ?? "";
        if (version.Length > 0 && !SemVerPattern().IsMatch(version))
            d.Report(DiagnosticCatalog.PatternMismatch, root["version"]!.Span, new Localized("version", "version"), version, Schema.PatternText.Describe("^(0|[1-9]"));
        var locale = RequiredString(root, "locale", "") ?? "";
        if (locale.Length > 0 && !IsCulture(locale))
            d.Report(DiagnosticCatalog.InvalidValue, root["locale"]!.Span, new Localized("locale", "locale"), locale, new Localized("BCP-47 language tag (e.g. ja-JP, en-US)", "BCP-47 言語タグ（例: ja-JP、en-US）"));

        var recognizer = BindRecognizer(root["recognizer"]);
        var welcome = Optional(root, "welcome") is { } w ? BindMessage(w, "welcome", null) : null;
        var fallback = Optional(root, "fallback") is { } f ? BindMessage(f, "fallback", null) : null;
        var variables = BindVariables(root["variables"]);
        var intents = BindIntents(root["intents"]);
        var journey = BindJourney(root["journey"]);
        var flows = BindFlows(root["flows"]);
        var actions = BindActions(root["actions"]);
        var handoff = BindHandoff(root["handoff"]);
        var timeZone = StringOf(root, "timezone");
        if (timeZone is not null && !TimeZones.Exists(timeZone))
            d.Report(DiagnosticCatalog.UnknownTimeZone, root["timezone"]!.Span, timeZone, Localized.DidYouMean(TimeZones.Suggest(timeZone)));
        if (root["timezone"] is null)
            // unit test: Golden/flow/dates-in-utc.yaml
            foreach (var ask in c.DateAsks) d.Report(DiagnosticCatalog.DatesInUtc, ask);

        var vocabulary = BindVocabulary(root["vocabulary"]);
        var cancel = Optional(root, "cancel") is { } cn ? BindCancel(cn) : null;

        return new ScenarioModel(languageVersion, id, version, locale, StringOf(root, "description"), recognizer, welcome, fallback,
            variables, intents, journey, flows, actions, handoff, [.. files.Select(f => f.Path).Order(StringComparer.Ordinal)])
        {
            TimeZone = timeZone,
            Vocabulary = vocabulary,
            Cancel = cancel,
        };
    }

    /// <summary><c>cancel: false</c>, or <c>cancel: { builtIn, patterns, intent, say }</c> (docs/language.md "Cancel").</summary>
    CancelDef? BindCancel(YamlNode node)
    {
        if (node is ScalarNode { Kind: ScalarKind.Boolean } b)
        {
            // cancel: true is the default (the schema reports it as not allowed: only false is written).
            return b.AsBoolean == true ? null : new CancelDef(false, [], null, null, b.Span) { Disabled = true };
        }
        if (Map(node, "cancel") is not { } m) return null;
        CheckKeys(m, "cancel", "builtIn", "patterns", "intent", "say");
        var builtIn = Bool(m, "builtIn", "cancel") ?? true;
        var patterns = StringNodes(m, "patterns", "cancel");
        foreach (var p in patterns) c.Regexes.Add(new RegexSite(p.Value, p));
        var intent = StringOf(m, "intent", "cancel");
        if (intent is not null) c.References.Add(new Reference(RefKind.Intent, intent, m["intent"]!.Span));
        var say = Optional(m, "say") is { } sn ? BindMessage(sn, "cancel.say", null) : null;
        // unit test: Golden/flow/cancel-nothing.yaml
        if (!builtIn && patterns.Count == 0 && intent is null) d.Report(DiagnosticCatalog.NothingCancels, m.Span);
        return new CancelDef(builtIn, [.. patterns.Select(p => p.Value)], intent, say, m.Span);
    }

    static bool IsCulture(string name)
    {
        try
        {
            var c = CultureInfo.GetCultureInfo(name, predefinedOnly: true);
            return !string.IsNullOrEmpty(c.Name);
        }
        catch (CultureNotFoundException)
        {
            return false;
        }
    }

    RecognizerSettings BindRecognizer(YamlNode? node)
    {
        if (node is null or ScalarNode { Kind: ScalarKind.Null }) return RecognizerSettings.Default;
        if (Map(node, "recognizer") is not { } m) return RecognizerSettings.Default;
        CheckKeys(m, "recognizer", "threshold", "ambiguityMargin", "clarify", "lexicon");
        var threshold = Number(m, "threshold", "recognizer", 0, 1) ?? RecognizerSettings.Default.Threshold;
        var margin = Number(m, "ambiguityMargin", "recognizer", 0, 1) ?? RecognizerSettings.Default.AmbiguityMargin;
        var clarify = Optional(m, "clarify") is { } cl ? BindMessage(cl, "recognizer.clarify", null) : null;
        var lexicon = Bool(m, "lexicon", "recognizer") ?? RecognizerSettings.Default.Lexicon;
        return new RecognizerSettings(threshold, margin, clarify, lexicon);
    }

    // ---- variables ----

    static readonly string[] VariableTypes = ["string", "number", "integer", "boolean", "object", "list"];

    ImmutableArray<VariableDef> BindVariables(YamlNode? node)
    {
        if (node is null or ScalarNode { Kind: ScalarKind.Null } || Map(node, "variables") is not { } m) return [];
        var result = ImmutableArray.CreateBuilder<VariableDef>();
        foreach (var (key, value) in m.Entries)
        {
            var path = "variables." + key.Value;
            if (!VariableNamePattern().IsMatch(key.Value))
            {
                d.Report(DiagnosticCatalog.PatternMismatch, key.Span, new Localized("variable name", "変数名"), key.Value,
                    Schema.PatternText.Describe("^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$"));
                continue;
            }
            string? typeText;
            MappingNode? def = null;
            if (value is ScalarNode { IsString: true } shorthand) typeText = shorthand.Value;
            else if ((def = Map(value, path)) is not null)
            {
                CheckKeys(def, path, "type", "enum", "default", "scope", "description", "pii");
                typeText = RequiredString(def, "type", path);
            }
            else continue;
            if (typeText is null) continue;
            var typeNode = def?["type"] ?? value;
            if (!VariableTypes.Contains(typeText))
            {
                d.Report(DiagnosticCatalog.NotInEnum, typeNode.Span, new Localized(path + ".type", path + ".type"), typeText, string.Join(", ", VariableTypes),
                    Localized.DidYouMean(Suggest.Closest(typeText, VariableTypes)));
                continue;
            }
            var type = Enum.Parse<VariableType>(typeText, ignoreCase: true);
            var scope = VariableScope.Conversation;
            ImmutableArray<JsonElement> enumValues = [];
            JsonElement? defaultValue = null;
            if (def is not null)
            {
                if (OneOf(def, "scope", path, ["conversation", "user"]) is { } sc) scope = sc == "user" ? VariableScope.User : VariableScope.Conversation;
                if (Optional(def, "enum") is { } en && Seq(en, path + ".enum") is { } enumSeq)
                {
                    foreach (var item in enumSeq.Items)
                        if (TypeProblem(type, item) is { } problem)
                            d.Report(DiagnosticCatalog.BadDefault, item.Span, key.Value, problem);
                    enumValues = [.. enumSeq.Items.Select(YamlJson.ToElement)];
                }
                if (Optional(def, "default") is { } dv && dv is not ScalarNode { Kind: ScalarKind.Null })
                {
                    if (TypeProblem(type, dv) is { } problem) d.Report(DiagnosticCatalog.BadDefault, dv.Span, key.Value, problem);
                    else if (enumValues.Length > 0 && def["enum"] is SequenceNode es && !es.Items.Any(i => YamlJson.SameValue(i, dv)))
                        d.Report(DiagnosticCatalog.BadDefault, dv.Span, key.Value,
                            new Localized($"'{Text(dv)}' is not one of its enum values", $"'{Text(dv)}' は enum の値のいずれでもありません"));
                    defaultValue = YamlJson.ToElement(dv);
                }
            }
            result.Add(new VariableDef(key.Value, type, enumValues, defaultValue, scope, def is null ? null : StringOf(def, "description"), key.Span)
            {
                Pii = def is not null && Bool(def, "pii", path) == true,
            });
        }
        return result.ToImmutable();
    }

    /// <summary>Why a YAML value does not fit a variable type, or null when it fits.</summary>
    internal static Localized? TypeProblem(VariableType type, YamlNode value)
    {
        var fits = (type, value) switch
        {
            (VariableType.String, ScalarNode { Kind: ScalarKind.String }) => true,
            (VariableType.Number, ScalarNode { Kind: ScalarKind.Integer or ScalarKind.Float }) => true,
            (VariableType.Integer, ScalarNode { Kind: ScalarKind.Integer }) => true,
            (VariableType.Integer, ScalarNode { Kind: ScalarKind.Float } f) => f.AsNumber is { } n && Math.Floor(n) == n && !double.IsInfinity(n),
            (VariableType.Boolean, ScalarNode { Kind: ScalarKind.Boolean }) => true,
            (VariableType.Object, MappingNode) => true,
            (VariableType.List, SequenceNode) => true,
            _ => false,
        };
        if (fits) return null;
        var expected = TypeNameOf(type);
        var found = Names.TypeName(value is ScalarNode { Kind: ScalarKind.Integer or ScalarKind.Float } ? "number" : value.KindName);
        return new Localized($"must be {expected.En}, not {found.En}", $"{expected.Ja}でなければなりません（{found.Ja}が書かれています）");
    }

    internal static Localized TypeNameOf(VariableType type) => Names.TypeName(type switch
    {
        VariableType.String => "string",
        VariableType.Number => "number",
        VariableType.Integer => "integer",
        VariableType.Boolean => "boolean",
        VariableType.Object => "mapping",
        _ => "list",
    });

    // ---- intents ----

    ImmutableArray<IntentDef> BindIntents(YamlNode? node)
    {
        if (node is null or ScalarNode { Kind: ScalarKind.Null } || Map(node, "intents") is not { } m) return [];
        var result = ImmutableArray.CreateBuilder<IntentDef>();
        foreach (var (key, value) in m.Entries)
        {
            var path = "intents." + key.Value;
            if (!CheckName(key, "intent")) continue;
            if (Map(value, path) is not { } def) continue;
            CheckKeys(def, path, "examples", "patterns", "keywords", "digitalFit", "interrupts", "description", "rulesDecide");
            var exampleNodes = StringNodes(def, "examples", path);
            c.IntentExamples[key.Value] = exampleNodes;
            var patternNodes = StringNodes(def, "patterns", path);
            foreach (var p in patternNodes) c.Regexes.Add(new RegexSite(p.Value, p));
            c.IntentPatterns[key.Value] = patternNodes;
            var keywords = StringNodes(def, "keywords", path);
            c.IntentKeywords[key.Value] = keywords;
            var fit = OneOf(def, "digitalFit", path, ["high", "medium", "low"]) switch
            {
                "medium" => DigitalFit.Medium,
                "low" => DigitalFit.Low,
                _ => DigitalFit.High,
            };
            var interrupts = Bool(def, "interrupts", path) ?? false;
            result.Add(new IntentDef(key.Value, [.. exampleNodes.Select(n => n.Value)], [.. patternNodes.Select(n => n.Value)],
                [.. keywords.Select(n => n.Value)], fit, interrupts, StringOf(def, "description"), key.Span)
            {
                RulesDecide = Bool(def, "rulesDecide", path) ?? false,
            });
        }
        return result.ToImmutable();
    }

    bool CheckName(ScalarNode key, string what)
    {
        // '/' separates parts of step ids (flow/3/then/0), so names must not contain it.
        if (key.Value.Length > 0 && !key.Value.Contains('/', StringComparison.Ordinal) && !key.Value.Any(char.IsWhiteSpace)) return true;
        d.Report(DiagnosticCatalog.PatternMismatch, key.Span, new Localized(what + " name", what == "intent" ? "インテント名" : what == "flow" ? "フロー名" : "名前"), key.Value,
            new Localized("a non-empty name without spaces or '/'", "空白や '/' を含まない名前"));
        return false;
    }

    // ---- journey ----

    ImmutableArray<StageDef> BindJourney(YamlNode? node)
    {
        if (node is null or ScalarNode { Kind: ScalarKind.Null } || Seq(node, "journey") is not { } seq) return [];
        var result = ImmutableArray.CreateBuilder<StageDef>();
        for (var i = 0; i < seq.Items.Count; i++)
        {
            var path = $"journey[{i}]";
            if (Map(seq.Items[i], path) is not { } m) continue;
            CheckKeys(m, path, "stage", "entersOn", "proactive", "description");
            var name = RequiredString(m, "stage", path);
            if (name is null) continue;
            var entersOn = ImmutableArray.CreateBuilder<EventTrigger>();
            if (Optional(m, "entersOn") is { } eo)
            {
                if (eo is SequenceNode eos)
                    for (var j = 0; j < eos.Items.Count; j++)
                    {
                        if (BindEventTrigger(eos.Items[j], $"{path}.entersOn[{j}]") is { } t) entersOn.Add(t);
                    }
                else if (BindEventTrigger(eo, path + ".entersOn") is { } t) entersOn.Add(t);
            }
            var proactive = ImmutableArray.CreateBuilder<ProactiveRule>();
            if (Optional(m, "proactive") is { } pn && Seq(pn, path + ".proactive") is { } ps)
                for (var j = 0; j < ps.Items.Count; j++)
                    if (BindProactive(ps.Items[j], $"{path}.proactive[{j}]") is { } rule) proactive.Add(rule);
            result.Add(new StageDef(name, entersOn.ToImmutable(), proactive.ToImmutable(), m["stage"]!.Span));
        }
        return result.ToImmutable();
    }

    EventTrigger? BindEventTrigger(YamlNode node, string path)
    {
        if (Map(node, path) is not { } m) return null;
        CheckKeys(m, path, "event", "when");
        var ev = RequiredString(m, "event", path);
        if (ev is null) return null;
        if (!EventPattern().IsMatch(ev))
            d.Report(DiagnosticCatalog.PatternMismatch, m["event"]!.Span, new Localized(path + ".event", path + ".event"), ev,
                Schema.PatternText.Describe("^[a-z][a-z0-9_]*$"));
        var when = Optional(m, "when") is { } wn ? BindCondition(wn, path + ".when", ExprScope.General) : null;
        return new EventTrigger(ev, when, m.Span);
    }

    ProactiveRule? BindProactive(YamlNode node, string path)
    {
        if (Map(node, path) is not { } m) return null;
        CheckKeys(m, path, "id", "on", "say", "suggest", "flow", "cap");
        var id = RequiredString(m, "id", path);
        var on = Required(m, "on", path) is { } onNode ? BindEventTrigger(onNode, path + ".on") : null;
        var say = Optional(m, "say") is { } s ? BindMessage(s, path + ".say", m["suggest"]) : null;
        if (say is null && Optional(m, "suggest") is not null)
            d.Report(DiagnosticCatalog.MissingKey, m.Span, Names.At(path), "say");
        var flow = StringOf(m, "flow", path);
        if (flow is not null) c.References.Add(new Reference(RefKind.Flow, flow, m["flow"]!.Span));
        var cap = Optional(m, "cap") is { } capNode ? BindCap(capNode, path + ".cap") : new Cap(CapKind.OncePerConversation, null);
        if (id is null || on is null) return null;
        return new ProactiveRule(id, on, say, flow, cap, m.Span);
    }

    Cap BindCap(YamlNode node, string path)
    {
        if (node is ScalarNode { IsString: true } s)
        {
            switch (s.Value)
            {
                case "once-per-conversation": return new Cap(CapKind.OncePerConversation, null);
                case "once-per-stage": return new Cap(CapKind.OncePerStage, null);
                case "none": return Cap.None;
            }
            string[] allowed = ["once-per-conversation", "once-per-stage", "none", "{ cooldown: 10m }"];
            d.Report(DiagnosticCatalog.NotInEnum, s.Span, Names.At(path), s.Value, string.Join(", ", allowed), Localized.DidYouMean(Suggest.Closest(s.Value, allowed)));
            return Cap.None;
        }
        if (Map(node, path) is not { } m) return Cap.None;
        CheckKeys(m, path, "cooldown");
        if (Required(m, "cooldown", path) is not { } cd) return Cap.None;
        if (cd is ScalarNode { IsString: true } cs && DurationParser.TryParse(cs.Value, out var span))
            return new Cap(CapKind.Cooldown, span);
        d.Report(DiagnosticCatalog.InvalidDuration, cd.Span, Text(cd));
        return Cap.None;
    }

    [GeneratedRegex("^[a-z][a-z0-9-]*$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")]
    private static partial Regex SemVerPattern();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")]
    internal static partial Regex VariableNamePattern();

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex EventPattern();
}
