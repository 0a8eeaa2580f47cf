using System.Collections.Immutable;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Language.Syntax;
using ScenarioKit.Model;

namespace ScenarioKit.Language.Binding;

internal sealed partial class Binder
{
    static readonly string[] StepKinds = ["say", "ask", "call", "set", "if", "goto", "handoff", "end", "ticket"];

    static readonly Dictionary<string, string[]> StepOptions = new(StringComparer.Ordinal)
    {
        ["say"] = ["suggest"],
        ["ask"] = ["prompt", "expect", "retry", "maxAttempts", "onFail", "suggest", "validate", "fill", "extract"],
        ["call"] = ["with", "into", "onError"],
        ["set"] = [],
        ["if"] = ["then", "else"],
        ["goto"] = [],
        ["handoff"] = [],
        ["end"] = [],
        ["ticket"] = [],
    };

    ImmutableArray<FlowDef> BindFlows(YamlNode? node)
    {
        if (node is null or ScalarNode { Kind: ScalarKind.Null } || Map(node, "flows") is not { } m) return [];
        var result = ImmutableArray.CreateBuilder<FlowDef>();
        foreach (var (key, value) in m.Entries)
        {
            var path = "flows." + key.Value;
            if (!CheckName(key, "flow")) continue;
            c.FlowNames[key.Value] = key;
            if (Map(value, path) is not { } def) continue;
            CheckKeys(def, path, "description", "trigger", "steps");
            FlowTrigger? trigger = null;
            if (Optional(def, "trigger") is { } tn && Map(tn, path + ".trigger") is { } tm)
            {
                if (tm.KeyOf("intent") is not null)
                {
                    CheckKeys(tm, path + ".trigger", "intent");
                    if (StringOf(tm, "intent", path + ".trigger") is { } intent)
                    {
                        c.References.Add(new Reference(RefKind.Intent, intent, tm["intent"]!.Span));
                        trigger = new FlowTrigger(intent, null, tm.Span);
                    }
                }
                else if (tm.KeyOf("event") is not null)
                {
                    if (BindEventTrigger(tm, path + ".trigger") is { } ev) trigger = new FlowTrigger(null, ev, tm.Span);
                }
                else
                {
                    d.Report(DiagnosticCatalog.MissingKey, tm.Span, Names.At(path + ".trigger"), "intent");
                }
            }
            var steps = Optional(def, "steps") is { } sn ? BindSteps(sn, path + ".steps", key.Value) : [];
            result.Add(new FlowDef(key.Value, trigger, steps, StringOf(def, "description"), key.Span));
        }
        return result.ToImmutable();
    }

    /// <summary>A list of steps, or (for onFail/onError) a single step mapping.</summary>
    ImmutableArray<Step> BindSteps(YamlNode node, string path, string idPrefix, bool allowSingle = false)
    {
        if (allowSingle && node is MappingNode single)
            return BindStep(single, path, idPrefix + "/0") is { } s ? [s] : [];
        if (Seq(node, path) is not { } seq) return [];
        var result = ImmutableArray.CreateBuilder<Step>(seq.Items.Count);
        for (var i = 0; i < seq.Items.Count; i++)
            if (BindStep(seq.Items[i], $"{path}[{i}]", $"{idPrefix}/{i}") is { } step) result.Add(step);
        return result.ToImmutable();
    }

    Step? BindStep(YamlNode node, string path, string id)
    {
        if (Map(node, path) is not { } m) return null;
        var kinds = m.Entries.Where(e => StepKinds.Contains(e.Key.Value)).ToList();
        if (kinds.Count == 0)
        {
            var unknown = m.Entries.FirstOrDefault(e => !StepOptions.Values.Any(o => o.Contains(e.Key.Value))).Key;
            if (unknown is not null)
                d.Report(DiagnosticCatalog.UnknownKey, unknown.Span, unknown.Value, Names.At(path), Localized.DidYouMean(Suggest.Closest(unknown.Value, StepKinds)));
            else
                d.Report(DiagnosticCatalog.NoMatchingForm, m.Span, Names.At(path), new Localized("a step needs one of: " + string.Join(", ", StepKinds), "ステップには次のいずれかが必要です: " + string.Join(", ", StepKinds)));
            return null;
        }
        if (kinds.Count > 1)
        {
            d.Report(DiagnosticCatalog.NoMatchingForm, kinds[1].Key.Span, Names.At(path),
                new Localized($"a step has exactly one of {string.Join(", ", StepKinds)}; found '{kinds[0].Key.Value}' and '{kinds[1].Key.Value}'",
                    $"ステップには {string.Join("、", StepKinds)} のうち 1 つだけを書きます（'{kinds[0].Key.Value}' と '{kinds[1].Key.Value}' があります）"));
            return null;
        }
        var kind = kinds[0].Key.Value;
        var value = kinds[0].Value;
        CheckKeys(m, path, [kind, .. StepOptions[kind]]);
        var kindPath = path + "." + kind;
        switch (kind)
        {
            case "say":
                return BindMessage(value, kindPath, m["suggest"]) is { } msg ? new SayStep(id, msg, m.Span) : null;
            case "ask":
                return BindAsk(m, value, path, id);
            case "call":
            {
                if (Str(value, kindPath) is not { } action) return null;
                c.References.Add(new Reference(RefKind.Action, action, value.Span));
                var args = ImmutableArray.CreateBuilder<Argument>();
                var argSpans = ImmutableArray.CreateBuilder<(string, Model.SourceSpan)>();
                if (Optional(m, "with") is { } wn && Map(wn, path + ".with") is { } wm)
                    foreach (var (k, v) in wm.Entries)
                    {
                        argSpans.Add((k.Value, k.Span));
                        if (BindTemplate(v, $"{path}.with.{k.Value}", ExprScope.General, null, acceptScalars: true) is { } t) args.Add(new Argument(k.Value, t));
                    }
                c.Calls.Add(new CallSite(action, argSpans.ToImmutable(), m.Span));
                var into = StringOf(m, "into", path);
                if (into is not null) c.References.Add(new Reference(RefKind.Variable, into, m["into"]!.Span));
                var onError = Optional(m, "onError") is { } oe ? BindSteps(oe, path + ".onError", id + "/onError", allowSingle: true) : [];
                return new CallStep(id, action, args.ToImmutable(), into, onError, m.Span);
            }
            case "set":
            {
                if (Map(value, kindPath) is not { } sm) return null;
                var assignments = ImmutableArray.CreateBuilder<Assignment>();
                foreach (var (k, v) in sm.Entries)
                {
                    c.References.Add(new Reference(RefKind.Variable, k.Value, k.Span));
                    if (v is ScalarNode { IsString: true } sv && sv.Value.Contains("${", StringComparison.Ordinal))
                    {
                        if (BindTemplate(sv, $"{kindPath}.{k.Value}", ExprScope.General, null) is { } t)
                            assignments.Add(new Assignment(k.Value, null, t, v.Span));
                    }
                    else assignments.Add(new Assignment(k.Value, YamlJson.ToElement(v), null, v.Span));
                }
                return new SetStep(id, assignments.ToImmutable(), m.Span);
            }
            case "if":
            {
                var condition = BindCondition(value, kindPath, ExprScope.General);
                var thenNode = Required(m, "then", path);
                var then = thenNode is null ? [] : BindSteps(thenNode, path + ".then", id + "/then");
                var @else = Optional(m, "else") is { } en ? BindSteps(en, path + ".else", id + "/else") : [];
                return condition is null ? null : new IfStep(id, condition, then, @else, m.Span);
            }
            case "goto":
            {
                if (Map(value, kindPath) is not { } gm) return null;
                CheckKeys(gm, kindPath, "stage", "flow");
                var stage = StringOf(gm, "stage", kindPath);
                var flow = StringOf(gm, "flow", kindPath);
                if (stage is null && flow is null)
                {
                    d.Report(DiagnosticCatalog.MissingKey, gm.Span, Names.At(kindPath), "flow");
                    return null;
                }
                if (stage is not null) c.References.Add(new Reference(RefKind.Stage, stage, gm["stage"]!.Span));
                if (flow is not null) c.References.Add(new Reference(RefKind.Flow, flow, gm["flow"]!.Span));
                return new GotoStep(id, stage, flow, m.Span);
            }
            case "handoff":
            {
                if (value is ScalarNode { IsString: true } q)
                {
                    c.References.Add(new Reference(RefKind.Queue, q.Value, q.Span));
                    return new HandoffStep(id, q.Value, null, null, [], m.Span);
                }
                if (Map(value, kindPath) is not { } hm) return null;
                CheckKeys(hm, kindPath, "queue", "reason", "say", "offer", "priority");
                var queue = RequiredString(hm, "queue", kindPath);
                if (queue is null) return null;
                c.References.Add(new Reference(RefKind.Queue, queue, hm["queue"]!.Span));
                var say = Optional(hm, "say") is { } hs ? BindMessage(hs, kindPath + ".say", null) : null;
                return new HandoffStep(id, queue, StringOf(hm, "reason", kindPath), say, BindOffer(hm, kindPath), m.Span)
                {
                    Priority = Priority(hm, kindPath),
                };
            }
            case "ticket":
                return BindTicket(value, kindPath, id, m.Span);
            default: // end
            {
                if (value is ScalarNode { Kind: ScalarKind.Boolean } b)
                {
                    if (b.AsBoolean == false)
                        d.Report(DiagnosticCatalog.NotInEnum, b.Span, Names.At(kindPath), b.Value, "true, { say: … }", Localized.Empty);
                    return new EndStep(id, null, m.Span);
                }
                if (Map(value, kindPath) is not { } em) return null;
                CheckKeys(em, kindPath, "say");
                var say = Optional(em, "say") is { } es ? BindMessage(es, kindPath + ".say", null) : null;
                return new EndStep(id, say, m.Span);
            }
        }
    }

    Step? BindAsk(MappingNode m, YamlNode value, string path, string id)
    {
        if (Str(value, path + ".ask") is not { } variable) return null;
        c.References.Add(new Reference(RefKind.Variable, variable, value.Span));
        Message? prompt = null;
        var promptNode = m["prompt"];
        if (promptNode is null or ScalarNode { Kind: ScalarKind.Null } || IsEmptyMessage(promptNode))
            d.Report(DiagnosticCatalog.EmptyPrompt, promptNode?.Span ?? value.Span, variable);
        else prompt = BindMessage(promptNode, path + ".prompt", m["suggest"]);
        var expect = Optional(m, "expect") is { } ex ? BindExpect(ex, path + ".expect") : Expectation.AnyText;
        var retry = Optional(m, "retry") is { } rn ? BindMessage(rn, path + ".retry", null, ExprScope.Retry) : null;
        var maxAttempts = 3;
        if (Optional(m, "maxAttempts") is { } ma)
        {
            if (ma is ScalarNode { Kind: ScalarKind.Integer } mi && ScalarNode.ParseInteger(mi.Value) is { } n)
            {
                if (n is < 1 or > 10) d.Report(DiagnosticCatalog.MaxAttemptsRange, ma.Span, mi.Value);
                else maxAttempts = (int)n;
            }
            else TypeMismatch(ma, path + ".maxAttempts", "integer");
        }
        var onFail = Optional(m, "onFail") is { } of ? BindSteps(of, path + ".onFail", id + "/onFail", allowSingle: true) : [];
        var validate = Optional(m, "validate") is { } vn ? BindValidate(vn, path + ".validate") : [];
        var fill = Bool(m, "fill", path) switch { true => FillMode.On, false => FillMode.Off, null => FillMode.Auto };
        var extract = StringOf(m, "extract", path);
        if (extract is not null) c.Regexes.Add(new RegexSite(extract, (ScalarNode)m["extract"]!));
        // unit test: Golden/flow/fill-free-text.yaml
        if (fill == FillMode.On && extract is null && expect.Kind == ExpectKind.Text && expect.Pattern is null)
            d.Report(DiagnosticCatalog.FreeTextNeverFilled, m["fill"]!.Span, variable);
        return prompt is null ? null : new AskStep(id, variable, prompt, expect, retry, maxAttempts, onFail, m.Span) { Validate = validate, Fill = fill, Extract = extract };
    }

    static readonly string[] TicketKinds = ["callback", "email", "other"];

    Step? BindTicket(YamlNode value, string path, string id, Model.SourceSpan span)
    {
        if (Map(value, path) is not { } tm) return null;
        CheckKeys(tm, path, "kind", "contact", "time", "note", "queue", "into");
        var kindText = Required(tm, "kind", path) is not null ? OneOf(tm, "kind", path, TicketKinds) : null;
        var contactNode = Required(tm, "contact", path);
        var contact = contactNode is null ? null : BindTemplate(contactNode, path + ".contact", ExprScope.General, null, acceptScalars: true);
        var time = Optional(tm, "time") is { } tn ? BindTemplate(tn, path + ".time", ExprScope.General, null, acceptScalars: true) : null;
        var note = Optional(tm, "note") is { } nn ? BindTemplate(nn, path + ".note", ExprScope.General, null, acceptScalars: true) : null;
        var queue = StringOf(tm, "queue", path);
        if (queue is not null) c.References.Add(new Reference(RefKind.Queue, queue, tm["queue"]!.Span));
        var into = StringOf(tm, "into", path);
        if (into is not null) c.References.Add(new Reference(RefKind.Variable, into, tm["into"]!.Span));
        if (kindText is null || contact is null) return null;
        return new TicketStep(id, Enum.Parse<TicketKind>(kindText, ignoreCase: true), contact, time, note, queue, into, span);
    }

    /// <summary>A rule's or handoff step's <c>priority</c>: an integer from -100 to 100, default 0.</summary>
    int Priority(MappingNode m, string path) => (int)(Integer(m, "priority", path, -100, 100) ?? 0);

    static bool IsEmptyMessage(YamlNode node) => node switch
    {
        ScalarNode { IsString: true } s => string.IsNullOrWhiteSpace(s.Value),
        SequenceNode seq => seq.Items.Count == 0,
        MappingNode map => map["text"] is null or ScalarNode { Kind: ScalarKind.Null } || IsEmptyMessage(map["text"]!),
        _ => false,
    };

    static readonly string[] ExpectTypes = ["text", "pattern", "number", "integer", "choice", "yesno", "email", "phone", "date", "time", "datetime"];

    Expectation BindExpect(YamlNode node, string path)
    {
        if (Map(node, path) is not { } m) return Expectation.AnyText;
        CheckKeys(m, path, "type", "pattern", "choices", "min", "max", "future", "past", "weekdays");
        var typeText = OneOf(m, "type", path, ExpectTypes);
        var pattern = StringOf(m, "pattern", path);
        if (pattern is not null) c.Regexes.Add(new RegexSite(pattern, (ScalarNode)m["pattern"]!));
        var choices = ImmutableArray.CreateBuilder<Choice>();
        if (Optional(m, "choices") is { } cn && Seq(cn, path + ".choices") is { } cs)
            for (var i = 0; i < cs.Items.Count; i++)
            {
                var item = cs.Items[i];
                var ip = $"{path}.choices[{i}]";
                if (item is ScalarNode { Kind: not ScalarKind.Null } sc) choices.Add(new Choice(sc.Value, []));
                else if (Map(item, ip) is { } cm)
                {
                    CheckKeys(cm, ip, "value", "synonyms");
                    if (RequiredString(cm, "value", ip) is { } v)
                        choices.Add(new Choice(v, [.. StringNodes(cm, "synonyms", ip).Select(s => s.Value)]));
                }
            }
        var kind = typeText switch
        {
            null when pattern is not null => ExpectKind.Pattern,
            null when choices.Count > 0 => ExpectKind.Choice,
            null => ExpectKind.Text,
            "yesno" => ExpectKind.YesNo,
            "datetime" => ExpectKind.DateTime,
            _ => Enum.Parse<ExpectKind>(typeText, ignoreCase: true),
        };
        if (kind == ExpectKind.Pattern && pattern is null) d.Report(DiagnosticCatalog.IncompleteExpectation, m["type"]!.Span, "pattern", "pattern");
        if (kind == ExpectKind.Choice && choices.Count == 0) d.Report(DiagnosticCatalog.IncompleteExpectation, (m["type"] ?? m).Span, "choice", "choices");
        if (kind is ExpectKind.Date or ExpectKind.DateTime) c.DateAsks.Add(m["type"]!.Span);
        var (min, max, dates) = BindBounds(m, path, kind);
        return new Expectation(kind, pattern, choices.ToImmutable(), min, max, m.Span) { Dates = dates };
    }

    // ---- messages and templates ----

    Message? BindMessage(YamlNode node, string path, YamlNode? suggestBeside, ExprScope scope = ExprScope.General)
    {
        YamlNode textNode = node;
        YamlNode? suggestNode = suggestBeside;
        if (node is MappingNode m)
        {
            CheckKeys(m, path, "text", "suggest");
            if (Required(m, "text", path) is not { } t) return null;
            textNode = t;
            if (m["suggest"] is { } inner) suggestNode = inner;
        }
        var variations = ImmutableArray.CreateBuilder<Template>();
        if (textNode is SequenceNode seq)
        {
            if (seq.Items.Count == 0)
                d.Report(DiagnosticCatalog.BadCount, seq.Span, Names.At(path), new Localized("a message needs at least one text", "メッセージには 1 つ以上の文字列が必要です"));
            for (var i = 0; i < seq.Items.Count; i++)
                if (BindTemplate(seq.Items[i], $"{path}[{i}]", scope, null) is { } t) variations.Add(t);
        }
        else if (BindTemplate(textNode, path, scope, null) is { } t) variations.Add(t);
        var suggestions = ImmutableArray.CreateBuilder<Template>();
        if (suggestNode is not null && Seq(suggestNode, path + ".suggest") is { } ss)
            for (var i = 0; i < ss.Items.Count; i++)
                if (BindTemplate(ss.Items[i], $"{path}.suggest[{i}]", scope, null, acceptScalars: true) is { } t) suggestions.Add(t);
        return variations.Count == 0 ? null : new Message(variations.ToImmutable(), suggestions.ToImmutable(), node.Span);
    }

    Template? BindTemplate(YamlNode node, string path, ExprScope scope, string? action, bool acceptScalars = false)
    {
        if (node is not ScalarNode s || (!s.IsString && !(acceptScalars && s.Kind != ScalarKind.Null)))
        {
            TypeMismatch(node, path, "string");
            return null;
        }
        return TemplateParser.Parse(s, scope, action, d, c.Expressions);
    }

    Expression? BindCondition(YamlNode node, string path, ExprScope scope)
    {
        if (node is not ScalarNode { Kind: not ScalarKind.Null } s)
        {
            TypeMismatch(node, path, "string");
            return null;
        }
        if (string.IsNullOrWhiteSpace(s.Value))
        {
            d.Report(DiagnosticCatalog.ExpressionSyntax, s.Span, new Localized("the condition is empty", "条件が空です"));
            return null;
        }
        var expr = new Expression(s.Value, s.Span);
        c.Expressions.Add(new ExprSite(expr, s, 0, scope, null));
        return expr;
    }

    ImmutableArray<string> BindOffer(MappingNode m, string path)
    {
        string[] channels = ["chat", "phone", "callback", "email"];
        var result = ImmutableArray.CreateBuilder<string>();
        if (Optional(m, "offer") is not { } on || Seq(on, path + ".offer") is not { } seq) return [];
        foreach (var item in seq.Items)
        {
            if (Str(item, path + ".offer") is not { } ch) continue;
            if (!channels.Contains(ch))
                d.Report(DiagnosticCatalog.NotInEnum, item.Span, Names.At(path + ".offer"), ch, string.Join(", ", channels), Localized.DidYouMean(Suggest.Closest(ch, channels)));
            else result.Add(ch);
        }
        return result.ToImmutable();
    }
}
