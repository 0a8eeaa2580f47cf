using System.Globalization;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;
using ScenarioKit.Language.Binding;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Language.Syntax;
using ScenarioKit.Model;

namespace ScenarioKit.Language.Schema;

/// <summary>
/// Validates the merged tree against schema/scenario.schema.json (embedded in this assembly). The tree
/// is converted to JTokens annotated with their YAML node, so every NJsonSchema error maps back to a
/// line and column through <see cref="ValidationError.Token"/>. Each <see cref="ValidationErrorKind"/>
/// maps to one SK2xxx id; for oneOf/anyOf the closest branch is reported, not the whole tree.
/// </summary>
internal static class SchemaValidator
{
    const string ResourceName = "ScenarioKit.Language.Schema.scenario.schema.json";

    static readonly Lazy<SchemaSet?> Embedded = new(() =>
    {
        using var stream = typeof(SchemaValidator).Assembly.GetManifestResourceStream(ResourceName);
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return SchemaSet.Load(reader.ReadToEnd());
    });

    static readonly Dictionary<string, SchemaSet> Overrides = new(StringComparer.Ordinal);

    internal static bool HasEmbeddedSchema => Embedded.Value is not null;

    static SchemaSet? SchemaFor(CompileOptions options)
    {
        if (options.SchemaOverride is null) return Embedded.Value;
        lock (Overrides)
        {
            if (!Overrides.TryGetValue(options.SchemaOverride, out var s)) Overrides[options.SchemaOverride] = s = SchemaSet.Load(options.SchemaOverride);
            return s;
        }
    }

    /// <summary>
    /// The schema, plus a copy prepared for speed. A step is a oneOf of eight step schemas and a message
    /// a oneOf of three forms, so a plain validation tries every branch of every step and message,
    /// nested steps multiplying it (seconds and hundreds of MB for 10,000 steps). The copy accepts any
    /// object where a step goes and any string, list or mapping where a message goes; the validator then
    /// checks each step against the one branch its kind key names (a discriminator), each list or
    /// mapping message against the message oneOf, falling back to the step oneOf only when a step has
    /// no kind or several, so errors and their closest-branch choice stay the same. Each shortcut is
    /// taken only if the schema has the expected shape (SchemaTests checks the message positions).
    /// </summary>
    sealed class SchemaSet
    {
        public required JsonSchema Root { get; init; }
        public Dictionary<string, JsonSchema>? Branches { get; init; }
        public JsonSchema? StepOneOf { get; init; }
        public JsonSchema? MessageOneOf { get; init; }

        public static SchemaSet Load(string json)
        {
            var doc = JObject.Parse(json);
            if (doc["definitions"] is not JObject defs) return new SchemaSet { Root = JsonSchema.FromJsonAsync(json).GetAwaiter().GetResult() };
            var steps = defs["step"] is JObject step && step["oneOf"] is JArray oneOf && StepKinds.All(k => defs[k + "Step"] is JObject);
            if (steps)
            {
                defs["stepOneOf"] = new JObject { ["oneOf"] = defs["step"]!["oneOf"]!.DeepClone() };
                // Still "an object" so that stepOrSteps (oneOf step, list of steps) keeps telling the two apart.
                defs["step"] = new JObject { ["type"] = "object" };
            }
            var messages = steps && defs["message"] is JObject message && message["oneOf"] is JArray forms && forms.Count == 3
                && forms.Select(f => (string?)f["$ref"]).SequenceEqual(["#/definitions/template", "#/definitions/templateList", "#/definitions/messageObject"])
                && defs["template"] is JObject template && template.Properties().All(p => p.Name is "type" or "description" or "examples") && (string?)template["type"] == "string";
            if (messages)
            {
                defs["messageOneOf"] = new JObject { ["oneOf"] = defs["message"]!["oneOf"]!.DeepClone() };
                defs["message"] = new JObject { ["type"] = new JArray("string", "array", "object") };
            }
            var fast = JsonSchema.FromJsonAsync(doc.ToString()).GetAwaiter().GetResult();
            return new SchemaSet
            {
                Root = fast,
                Branches = steps ? StepKinds.ToDictionary(k => k, k => fast.Definitions[k + "Step"], StringComparer.Ordinal) : null,
                StepOneOf = steps ? fast.Definitions["stepOneOf"] : null,
                MessageOneOf = messages ? fast.Definitions["messageOneOf"] : null,
            };
        }
    }

    static readonly string[] StepKinds = ["say", "ask", "call", "set", "if", "goto", "handoff", "end", "ticket"];

    /// <summary>Where the schema puts a message (JSON pointers into the schema); SchemaTests keeps this in step with the schema.</summary>
    internal static readonly string[] MessagePositions =
    [
        "/properties/welcome", "/properties/fallback", "/properties/cancel/oneOf/1/properties/say", "/definitions/recognizer/properties/clarify",
        "/definitions/proactiveRule/properties/say", "/definitions/sayStep/properties/say", "/definitions/askStep/properties/prompt",
        "/definitions/askStep/properties/retry", "/definitions/handoffStep/properties/handoff/oneOf/1/properties/say",
        "/definitions/endStep/properties/end/oneOf/1/properties/say", "/definitions/handoff/properties/say",
        "/definitions/handoff/properties/outOfHours/properties/say", "/definitions/handoffRule/properties/say",
        "/definitions/handoff/properties/waiting", "/definitions/handoff/properties/onTimeout/properties/say",
        "/definitions/answerCheck/oneOf/1/properties/message", "/definitions/queue/properties/outOfHours/properties/say",
    ];

    sealed record Origin(YamlNode Node, ScalarNode? Key);

    sealed class Run(SchemaSet schema, Reporter reporter)
    {
        // One validator for the whole compile: NJsonSchema's per-call setup is most of the cost of small validations.
        readonly JsonSchemaValidator validator = new(new JsonSchemaValidatorSettings());

        public void Validate(JsonSchema s, JToken token)
        {
            foreach (var e in validator.Validate(token, s, SchemaType.JsonSchema)) reporter.Report(e);
        }

        public void Message(JToken? token)
        {
            if (schema.MessageOneOf is not null && token is JArray or JObject) Validate(schema.MessageOneOf, token);
        }

        public void Steps(JToken stepOrSteps)
        {
            IEnumerable<JToken> steps = stepOrSteps is JArray array ? array : [stepOrSteps];
            foreach (var step in steps)
            {
                var kinds = step is JObject o ? StepKinds.Where(k => o.ContainsKey(k)).ToList() : [];
                Validate(kinds.Count == 1 ? schema.Branches![kinds[0]] : schema.StepOneOf!, step);
                if (step is not JObject s) continue;
                Message(s["say"]);
                Message(s["prompt"]);
                Message(s["retry"]);
                Message((s["handoff"] as JObject)?["say"]);
                Message((s["end"] as JObject)?["say"]);
                IEnumerable<JToken> checks = s["validate"] is JArray list ? list : s["validate"] is { } one ? [one] : [];
                foreach (var check in checks) Message((check as JObject)?["message"]);
                // Nested steps were accepted blindly by the branch; check them the same way.
                foreach (var key in (string[])["then", "else", "onFail", "onError"])
                    if (s[key] is JArray or JObject) Steps(s[key]!);
            }
        }
    }

    public static void Validate(MappingNode root, CompileOptions options, DiagnosticBag d)
    {
        var schema = SchemaFor(options);
        if (schema is null) return;
        var json = ToJson(root);
        var reporter = new Reporter(d, root);
        var run = new Run(schema, reporter);
        run.Validate(schema.Root, json);
        if (json is JObject top)
        {
            run.Message(top["welcome"]);
            run.Message(top["fallback"]);
            run.Message((top["recognizer"] as JObject)?["clarify"]);
            if (top["journey"] is JArray journey)
                foreach (var stage in journey.OfType<JObject>())
                    if (stage["proactive"] is JArray proactive)
                        foreach (var rule in proactive.OfType<JObject>()) run.Message(rule["say"]);
            if (top["handoff"] is JObject handoff)
            {
                run.Message(handoff["say"]);
                run.Message((handoff["outOfHours"] as JObject)?["say"]);
                if (handoff["queues"] is JObject queues)
                    foreach (var queue in queues.Properties()) run.Message(((queue.Value as JObject)?["outOfHours"] as JObject)?["say"]);
                if (handoff["rules"] is JArray rules)
                    foreach (var rule in rules.OfType<JObject>()) run.Message(rule["say"]);
            }
            if (schema.Branches is not null && top["flows"] is JObject flows)
                foreach (var flow in flows.Properties())
                    if (flow.Value is JObject f && f["steps"] is JArray steps)
                        run.Steps(steps);
        }
        reporter.Flush();
    }

    internal static JToken ToJson(YamlNode node)
    {
        JToken token;
        switch (node)
        {
            case MappingNode m:
                var obj = new JObject();
                foreach (var (k, v) in m.Entries)
                {
                    if (obj.ContainsKey(k.Value)) continue;
                    var prop = new JProperty(k.Value, ToJson(v));
                    prop.AddAnnotation(new Origin(v, k));
                    obj.Add(prop);
                }
                token = obj;
                break;
            case SequenceNode s:
                var arr = new JArray();
                foreach (var item in s.Items) arr.Add(ToJson(item));
                token = arr;
                break;
            case ScalarNode sc:
                token = sc.Kind switch
                {
                    ScalarKind.Null => JValue.CreateNull(),
                    ScalarKind.Boolean => new JValue(sc.AsBoolean == true),
                    ScalarKind.Integer when ScalarNode.ParseInteger(sc.Value) is { } l => new JValue(l),
                    ScalarKind.Integer or ScalarKind.Float => new JValue(sc.AsNumber ?? 0),
                    _ => new JValue(sc.Value),
                };
                break;
            default:
                token = JValue.CreateNull();
                break;
        }
        token.AddAnnotation(new Origin(node, null));
        return token;
    }

    sealed class Reporter(DiagnosticBag d, MappingNode root)
    {
        readonly List<(ValidationError Error, SourceSpan Span, string Path)> unknownKeys = [];
        readonly List<(ValidationError Error, SourceSpan Span, string Path)> missing = [];

        public void Report(ValidationError e)
        {
            if (e is ChildSchemaValidationError child && e.Kind is ValidationErrorKind.NotOneOf or ValidationErrorKind.NotAnyOf or ValidationErrorKind.NoTypeValidates or ValidationErrorKind.NotAllOf)
            {
                ReportClosest(child);
                return;
            }
            var (span, path) = Locate(e.Token);
            var at = Names.At(path);
            if (ReportSpecific(e, span, path)) return;
            switch (e.Kind)
            {
                case ValidationErrorKind.StringExpected or ValidationErrorKind.NumberExpected or ValidationErrorKind.IntegerExpected
                    or ValidationErrorKind.BooleanExpected or ValidationErrorKind.ObjectExpected or ValidationErrorKind.ArrayExpected
                    or ValidationErrorKind.NullExpected:
                    d.Report(DiagnosticCatalog.TypeMismatch, span, at, ExpectedName(e.Kind), FoundName(e.Token));
                    break;
                case ValidationErrorKind.PropertyRequired:
                    missing.Add((e, span, path));
                    break;
                case ValidationErrorKind.AdditionalPropertiesNotValid when e is ChildSchemaValidationError { Errors.Count: > 0 } inner:
                    foreach (var x in inner.Errors.SelectMany(x => x.Value)) Report(x);
                    break;
                case ValidationErrorKind.NoAdditionalPropertiesAllowed or ValidationErrorKind.AdditionalPropertiesNotValid:
                {
                    var owner = e.Schema?.ActualSchema;
                    var name = e.Property ?? (e.Token as JProperty)?.Name ?? "";
                    if (owner is { PatternProperties.Count: > 0, ActualProperties.Count: 0 })
                    {
                        // A map of names (flows, intents, variables, queues): the key is a name of the wrong form, not an unknown key.
                        var pattern = owner.PatternProperties.Keys.First();
                        d.Report(DiagnosticCatalog.PatternMismatch, KeySpan(e.Token) ?? span, NameLabel(ParentPath(e.Token)),
                            name, PatternText.Describe(pattern));
                        break;
                    }
                    unknownKeys.Add((e, KeySpan(e.Token) ?? span, ParentPath(e.Token)));
                    break;
                }
                case ValidationErrorKind.NotInEnumeration:
                {
                    var allowed = e.Schema?.Enumeration.Select(v => v?.ToString() ?? "null").ToList() ?? [];
                    var value = ValueText(e.Token);
                    d.Report(DiagnosticCatalog.NotInEnum, span, at, value, string.Join(", ", allowed), Localized.DidYouMean(Suggest.Closest(value, allowed)));
                    break;
                }
                case ValidationErrorKind.PatternMismatch:
                    d.Report(DiagnosticCatalog.PatternMismatch, span, at, ValueText(e.Token), PatternText.Describe(e.Schema?.Pattern ?? ""));
                    break;
                case ValidationErrorKind.NumberTooSmall or ValidationErrorKind.NumberTooBig or ValidationErrorKind.IntegerTooBig
                    or ValidationErrorKind.NumberNotMultipleOf or ValidationErrorKind.IntegerNotMultipleOf:
                    d.Report(DiagnosticCatalog.OutOfRange, span, at, ValueText(e.Token), RangeOf(e.Schema));
                    break;
                case ValidationErrorKind.StringTooShort or ValidationErrorKind.StringTooLong:
                {
                    var shortOne = e.Kind == ValidationErrorKind.StringTooShort;
                    d.Report(DiagnosticCatalog.BadLength, span, at, shortOne ? new Localized("short", "短すぎ") : new Localized("long", "長すぎ"),
                        shortOne ? new Localized($"at least {e.Schema?.MinLength} character{(e.Schema?.MinLength == 1 ? "" : "s")}", $"{e.Schema?.MinLength} 文字以上")
                                 : new Localized($"at most {e.Schema?.MaxLength} characters", $"{e.Schema?.MaxLength} 文字以下"));
                    break;
                }
                case ValidationErrorKind.TooFewItems or ValidationErrorKind.TooManyItems or ValidationErrorKind.TooManyItemsInTuple
                    or ValidationErrorKind.TooFewProperties or ValidationErrorKind.TooManyProperties:
                {
                    var few = e.Kind is ValidationErrorKind.TooFewItems or ValidationErrorKind.TooFewProperties;
                    var limit = e.Kind switch
                    {
                        ValidationErrorKind.TooFewItems => e.Schema?.MinItems,
                        ValidationErrorKind.TooManyItems => e.Schema?.MaxItems,
                        ValidationErrorKind.TooFewProperties => e.Schema?.MinProperties,
                        _ => e.Schema?.MaxProperties,
                    };
                    d.Report(DiagnosticCatalog.BadCount, span, at, few
                        ? new Localized($"needs at least {limit} {(limit == 1 ? "entry" : "entries")}", $"{limit} 個以上の要素が必要です")
                        : new Localized($"allows at most {limit} {(limit == 1 ? "entry" : "entries")}", $"要素は {limit} 個までです"));
                    break;
                }
                case ValidationErrorKind.ItemsNotUnique:
                    d.Report(DiagnosticCatalog.NotUnique, span, at);
                    break;
                case ValidationErrorKind.DateTimeExpected or ValidationErrorKind.DateExpected or ValidationErrorKind.TimeExpected
                    or ValidationErrorKind.TimeSpanExpected or ValidationErrorKind.UriExpected or ValidationErrorKind.IpV4Expected
                    or ValidationErrorKind.IpV6Expected or ValidationErrorKind.GuidExpected or ValidationErrorKind.EmailExpected
                    or ValidationErrorKind.HostnameExpected or ValidationErrorKind.Base64Expected or ValidationErrorKind.UuidExpected:
                    d.Report(DiagnosticCatalog.InvalidValue, span, at, ValueText(e.Token), FormatName(e.Kind));
                    break;
                case ValidationErrorKind.ArrayItemNotValid or ValidationErrorKind.AdditionalItemNotValid:
                    if (e is ChildSchemaValidationError c) foreach (var inner in c.Errors.SelectMany(x => x.Value)) Report(inner);
                    else d.Report(DiagnosticCatalog.NoMatchingForm, span, at, e.Kind.ToString());
                    break;
                default: // Unknown, ExcludedSchemaValidates and kinds added by future NJsonSchema versions
                    d.Report(DiagnosticCatalog.NoMatchingForm, span, at, e.Kind.ToString());
                    break;
            }
        }

        static Localized NameLabel(string mapPath) => mapPath switch
        {
            "flows" => new("flow name", "フロー名"),
            "intents" => new("intent name", "インテント名"),
            "variables" => new("variable name", "変数名"),
            "actions" => new("action name", "アクション名"),
            "handoff.queues" => new("queue name", "キュー名"),
            "" => new("name", "名前"),
            _ => new($"name in {mapPath}", $"{mapPath} の名前"),
        };

        /// <summary>Keys of which a mapping holds exactly one: the step kinds, the action kinds.</summary>
        static readonly string[][] Exclusive =
        [
            ["say", "ask", "call", "set", "if", "goto", "handoff", "end"],
            ["http", "script"],
        ];

        /// <summary>
        /// Errors on well-known properties get the specific SK3xxx diagnostic rather than the generic
        /// schema one, because its message says what is wrong in the scenario's terms.
        /// </summary>
        bool ReportSpecific(ValidationError e, SourceSpan span, string path)
        {
            var last = path[(path.LastIndexOf('.') + 1)..];
            switch (e.Kind)
            {
                case ValidationErrorKind.NoAdditionalPropertiesAllowed when e.Token is JProperty { Parent: JObject owner } extra
                        && Exclusive.FirstOrDefault(g => g.Contains(extra.Name)) is { } group
                        && owner.Properties().FirstOrDefault(p => p.Name != extra.Name && group.Contains(p.Name)) is { } other:
                    d.Report(DiagnosticCatalog.NoMatchingForm, KeySpan(extra) ?? span, Names.At(ParentPath(extra)),
                        new Localized($"write exactly one of {string.Join(", ", group)}; found '{other.Name}' and '{extra.Name}'",
                            $"{string.Join("、", group)} のうち 1 つだけを書きます（'{other.Name}' と '{extra.Name}' があります）"));
                    return true;
                case ValidationErrorKind.NumberTooSmall or ValidationErrorKind.NumberTooBig when last == "maxAttempts":
                    d.Report(DiagnosticCatalog.MaxAttemptsRange, span, ValueText(e.Token));
                    return true;
                case ValidationErrorKind.PatternMismatch when last == "hours" && path.StartsWith("handoff.queues.", StringComparison.Ordinal):
                {
                    var hours = ValueText(e.Token);
                    if (HoursParser.TryParse(hours, out _, out var why)) return false;
                    d.Report(DiagnosticCatalog.InvalidHours, span, hours, why!);
                    return true;
                }
                case ValidationErrorKind.PatternMismatch when last == "cooldown":
                    d.Report(DiagnosticCatalog.InvalidDuration, span, ValueText(e.Token));
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>
        /// oneOf/anyOf: pick the branch the author most likely meant — one whose type matches, then with the
        /// fewest errors (ties: first branch) — and report its errors. If every branch wants another type,
        /// one SK2001 lists the types.
        /// </summary>
        void ReportClosest(ChildSchemaValidationError e)
        {
            var (span, path) = Locate(e.Token);
            var branches = e.Errors.Select((kv, i) => (Schema: kv.Key, Errors: kv.Value.ToList(), Order: i)).ToList();
            if (branches.Count == 0 || branches.Any(b => b.Errors.Count == 0))
            {
                d.Report(DiagnosticCatalog.NoMatchingForm, span, Names.At(path), new Localized("it matches more than one form", "複数の書き方に当てはまります"));
                return;
            }
            var scored = branches
                .Select(b => (b.Schema, b.Errors, b.Order, TypeMiss: b.Errors.Any(x => IsTypeError(x.Kind) && ReferenceEquals(x.Token, e.Token)), Count: b.Errors.Sum(Weight)))
                .OrderBy(b => b.TypeMiss).ThenBy(b => b.Count).ThenBy(b => b.Order).ToList();
            var best = scored[0];
            if (best.TypeMiss)
            {
                var types = scored.SelectMany(b => b.Errors.Where(x => IsTypeError(x.Kind) && ReferenceEquals(x.Token, e.Token)).Select(x => ExpectedName(x.Kind)));
                d.Report(DiagnosticCatalog.TypeMismatch, span, Names.At(path), Names.Either(types), FoundName(e.Token));
                return;
            }
            foreach (var inner in best.Errors) Report(inner);
        }

        static int Weight(ValidationError e) => e is ChildSchemaValidationError c && c.Errors.Count > 0
            ? 1 + c.Errors.Min(x => x.Value.Sum(Weight))
            : 1;

        static bool IsTypeError(ValidationErrorKind k) => k is ValidationErrorKind.StringExpected or ValidationErrorKind.NumberExpected
            or ValidationErrorKind.IntegerExpected or ValidationErrorKind.BooleanExpected or ValidationErrorKind.ObjectExpected
            or ValidationErrorKind.ArrayExpected or ValidationErrorKind.NullExpected or ValidationErrorKind.NoTypeValidates;

        /// <summary>Reports the buffered key errors: an unknown key whose suggestion is a missing required key replaces that "missing" error.</summary>
        public void Flush()
        {
            var suggested = new HashSet<(string, string)>();
            foreach (var (e, span, path) in unknownKeys)
            {
                var name = e.Property ?? (e.Token as JProperty)?.Name ?? "";
                if (name == "pii")
                {
                    // A designer marking personal data where it is asked for or used: say where the mark belongs.
                    d.Report(DiagnosticCatalog.PiiOutsideVariable, span, Names.At(path));
                    continue;
                }
                var candidates = e.Schema?.ActualSchema.ActualProperties.Keys ?? (IEnumerable<string>)[];
                var suggestion = Suggest.Closest(name, candidates);
                if (suggestion is not null) suggested.Add((path, suggestion));
                d.Report(DiagnosticCatalog.UnknownKey, span, name, Names.At(path), Localized.DidYouMean(suggestion));
            }
            foreach (var (e, span, path) in missing)
            {
                var name = e.Property ?? "";
                if (suggested.Contains((path, name))) continue;
                if (name == "prompt" && e.Token is JObject step && step["ask"] is JValue ask)
                    d.Report(DiagnosticCatalog.EmptyPrompt, span, Convert.ToString(ask.Value, CultureInfo.InvariantCulture) ?? "");
                else
                    d.Report(DiagnosticCatalog.MissingKey, span, Names.At(path), name);
            }
            unknownKeys.Clear();
            missing.Clear();
        }

        (SourceSpan Span, string Path) Locate(JToken? token)
        {
            if (token is null) return (root.Span, "");
            var origin = token.Annotation<Origin>();
            var span = origin?.Node.Span ?? root.Span;
            if (token is JProperty p && p.Annotation<Origin>() is { Node: var v }) span = v.Span;
            return (span, PathOf(token));
        }

        static SourceSpan? KeySpan(JToken? token) => (token as JProperty)?.Annotation<Origin>()?.Key?.Span
            ?? token?.Annotation<Origin>()?.Key?.Span
            ?? (token?.Parent as JProperty)?.Annotation<Origin>()?.Key?.Span;

        static string ParentPath(JToken? token)
        {
            var t = token is JProperty p ? p.Parent : token?.Parent is JProperty pp ? pp.Parent : token?.Parent;
            return t is null ? "" : PathOf(t);
        }

        /// <summary>YAML-style path: flows.order_status.steps[0].prompt (keys unquoted; the root is "").</summary>
        static string PathOf(JToken token)
        {
            var parts = new List<string>();
            for (var t = token; t is not null; t = t.Parent)
            {
                switch (t)
                {
                    case JProperty prop:
                        parts.Add("." + prop.Name);
                        break;
                    case var item when item.Parent is JArray arr:
                        parts.Add("[" + arr.IndexOf(item).ToString(CultureInfo.InvariantCulture) + "]");
                        break;
                }
            }
            parts.Reverse();
            return string.Concat(parts).TrimStart('.');
        }

        static string ValueText(JToken? token) => token switch
        {
            JProperty p => ValueText(p.Value),
            JValue { Value: null } => "null",
            JValue v => Convert.ToString(v.Value, CultureInfo.InvariantCulture) ?? "",
            JObject => "{…}",
            JArray => "[…]",
            _ => "",
        };

        static Localized FoundName(JToken? token) => Names.TypeName((token is JProperty p ? p.Value : token)?.Type switch
        {
            JTokenType.Object => "mapping",
            JTokenType.Array => "list",
            JTokenType.Integer or JTokenType.Float => "number",
            JTokenType.Boolean => "boolean",
            JTokenType.Null or null => "null",
            _ => "string",
        });

        static Localized ExpectedName(ValidationErrorKind kind) => Names.TypeName(kind switch
        {
            ValidationErrorKind.StringExpected => "string",
            ValidationErrorKind.NumberExpected => "number",
            ValidationErrorKind.IntegerExpected => "integer",
            ValidationErrorKind.BooleanExpected => "boolean",
            ValidationErrorKind.ObjectExpected => "mapping",
            ValidationErrorKind.ArrayExpected => "list",
            _ => "null",
        });

        static Localized FormatName(ValidationErrorKind kind) => kind switch
        {
            ValidationErrorKind.DateTimeExpected => new("date-time", "日時"),
            ValidationErrorKind.DateExpected => new("date", "日付"),
            ValidationErrorKind.TimeExpected => new("time", "時刻"),
            ValidationErrorKind.TimeSpanExpected => new("duration", "期間"),
            ValidationErrorKind.UriExpected => new("URI", "URI"),
            ValidationErrorKind.EmailExpected => new("e-mail address", "メールアドレス"),
            ValidationErrorKind.HostnameExpected => new("host name", "ホスト名"),
            _ => new(kind.ToString().Replace("Expected", "", StringComparison.Ordinal), kind.ToString().Replace("Expected", "", StringComparison.Ordinal)),
        };

        static Localized RangeOf(JsonSchema? s)
        {
            if (s is null) return Localized.Empty;
            double? min = s.Minimum is { } mn ? (double)mn : s.ExclusiveMinimum is { } emn ? (double)emn : null;
            double? max = s.Maximum is { } mx ? (double)mx : s.ExclusiveMaximum is { } emx ? (double)emx : null;
            return Binder.RangeText(min, max);
        }
    }
}

/// <summary>Readable descriptions of the schema's name and format patterns (the regex is the fallback).</summary>
internal static class PatternText
{
    public static Localized Describe(string pattern) => pattern switch
    {
        "^[a-z][a-z0-9-]*$" => new("lower-case letters, digits and '-', starting with a letter", "英小文字で始まる英小文字・数字・'-'"),
        "^[A-Za-z_][A-Za-z0-9_]*$" => new("letters, digits and '_', not starting with a digit", "英字・数字・'_'（数字で始まらない）"),
        "^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$" => new("letters, digits and '_', dotted like order.number", "英字・数字・'_' を '.' でつないだ名前（例: order.number）"),
        "^[a-z][a-z0-9_]*$" => new("lower-case letters, digits and '_', starting with a letter", "英小文字で始まる英小文字・数字・'_'"),
        "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$" => new("a BCP-47 language tag such as ja-JP or en-US", "ja-JP や en-US のような BCP-47 言語タグ"),
        "^[1-9][0-9]*(s|m|h|d)$" => new("a number and a unit: 30s, 10m, 2h, 1d", "数値と単位（30s、10m、2h、1d）"),
        "^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$" => new("an IANA time zone name such as Asia/Tokyo", "Asia/Tokyo のような IANA タイムゾーン名"),
        _ when pattern.StartsWith("^(0|[1-9]", StringComparison.Ordinal) => new("a semantic version such as 1.2.3", "1.2.3 のようなセマンティックバージョン"),
        _ => new("pattern " + pattern, "パターン " + pattern),
    };
}
