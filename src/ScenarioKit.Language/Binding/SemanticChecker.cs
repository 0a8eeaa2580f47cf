using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Model;

namespace ScenarioKit.Language.Binding;

/// <summary>The checks beyond the schema (DESIGN.md §3): names, references, reachability, loops, expressions, patterns, intents.</summary>
internal sealed class SemanticChecker(BoundScenario bound, DiagnosticBag d)
{
    readonly ScenarioModel model = bound.Model;

    public static void Check(BoundScenario bound, DiagnosticBag d) => new SemanticChecker(bound, d).Run();

    void Run()
    {
        CheckDuplicates();
        CheckVariables();
        CheckReferences();
        CheckExpressions();
        CheckRegexes();
        CheckFlows();
        CheckReachability();
        CheckQueues();
        CheckHubSettings();
        CheckIntents();
        CheckCalls();
        CheckAssignments();
        PrivacyChecker.Check(model, d);
        CheckAskTypes();
        IntentSimilarity.Check(bound, d);
        VocabularyChecker.Check(bound, d);
    }

    void CheckDuplicates()
    {
        Unique(model.Journey.Select(s => (s.Name, s.Span)), Names.Stage);
        Unique(model.Journey.SelectMany(s => s.Proactive).Select(p => (p.Id, p.Span)), Names.Proactive);
        Unique(model.Handoff.Rules.Select(r => (r.Id, r.Span)), Names.Rule);
    }

    void Unique(IEnumerable<(string Name, SourceSpan Span)> items, Localized kind)
    {
        var seen = new Dictionary<string, SourceSpan>(StringComparer.Ordinal);
        foreach (var (name, span) in items)
        {
            if (seen.TryGetValue(name, out var first)) d.ReportRelated(DiagnosticCatalog.DuplicateName, span, first, kind, name, first);
            else seen[name] = span;
        }
    }

    void CheckVariables()
    {
        var names = model.Variables.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var v in model.Variables)
        {
            var root = v.Name.Split('.')[0];
            if (ExpressionChecker.Reserved.Contains(root))
                d.Report(DiagnosticCatalog.ReservedName, v.Span, v.Name, root, ReservedMeaning(root));
            else if (JavaScriptKeywords.Contains(root))
                d.Report(DiagnosticCatalog.ReservedName, v.Span, v.Name, root, new Localized("the JavaScript keyword, so the name cannot be written in an expression", "JavaScript のキーワード（この名前は式の中に書けません）"));
            for (var i = v.Name.IndexOf('.', StringComparison.Ordinal); i >= 0; i = v.Name.IndexOf('.', i + 1))
                if (names.Contains(v.Name[..i]))
                    d.Report(DiagnosticCatalog.VariablePrefixConflict, model.Variables.First(x => x.Name == v.Name[..i]).Span, v.Name[..i], v.Name);
        }
    }

    // ES2023 reserved words (strict mode). Only the first segment matters: 'return.reason' is not an
    // expression, but 'opted.in' is (property names after '.' may be reserved words).
    static readonly HashSet<string> JavaScriptKeywords = new(StringComparer.Ordinal)
    {
        "await", "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "enum",
        "export", "extends", "false", "finally", "for", "function", "if", "implements", "import", "in", "instanceof", "interface",
        "let", "new", "null", "package", "private", "protected", "public", "return", "static", "super", "switch", "this", "throw",
        "true", "try", "typeof", "var", "void", "while", "with", "yield",
    };

    static Localized ReservedMeaning(string root) => root switch
    {
        "event" => new("the current event", "現在のイベント"),
        "stage" => new("the current journey stage", "現在のジャーニーステージ"),
        "intent" => new("the recognised intent", "認識したインテント"),
        "text" => new("the customer's text", "お客様の入力"),
        "conversation" => new("the conversation counters", "会話のカウンター"),
        "queue" => new("the queue in the waiting notice", "待機中のお知らせのキュー"),
        _ => new("the ask being retried", "再質問中の ask"),
    };

    void CheckReferences()
    {
        var sets = new Dictionary<RefKind, (HashSet<string> Names, DiagnosticDescriptor Descriptor)>
        {
            [RefKind.Variable] = (model.Variables.Select(v => v.Name).ToHashSet(StringComparer.Ordinal), DiagnosticCatalog.UnknownVariable),
            [RefKind.Intent] = (model.Intents.Select(v => v.Name).ToHashSet(StringComparer.Ordinal), DiagnosticCatalog.UnknownIntent),
            [RefKind.Flow] = (bound.FlowNames.Keys.ToHashSet(StringComparer.Ordinal), DiagnosticCatalog.UnknownFlow),
            [RefKind.Action] = (model.Actions.Select(v => v.Name).ToHashSet(StringComparer.Ordinal), DiagnosticCatalog.UnknownAction),
            [RefKind.Queue] = (model.Handoff.Queues.Select(v => v.Name).ToHashSet(StringComparer.Ordinal), DiagnosticCatalog.UnknownQueue),
            [RefKind.Stage] = (model.Journey.Select(v => v.Name).ToHashSet(StringComparer.Ordinal), DiagnosticCatalog.UnknownStage),
        };
        foreach (var r in bound.References)
        {
            var (names, descriptor) = sets[r.Kind];
            if (!names.Contains(r.Name) && !(bound.Declared.TryGetValue(r.Kind, out var declared) && declared.Contains(r.Name)))
                d.Report(descriptor, r.Span, r.Name, Localized.DidYouMean(Suggest.Closest(r.Name, names)));
        }
    }

    void CheckExpressions()
    {
        var declaredParams = bound.HttpActions.ToDictionary(h => h.Action, h => h.Params, StringComparer.Ordinal);
        var callsOf = bound.Calls.ToLookup(c => c.Action, StringComparer.Ordinal);
        var scopes = new Dictionary<string, ExpressionChecker.ActionScope>(StringComparer.Ordinal);
        foreach (var a in model.Actions)
        {
            var calls = callsOf[a.Name].ToList();
            var declared = a.Script is { } s ? s.Parameters : declaredParams.GetValueOrDefault(a.Name);
            // An HTTP action without params (allowed with SK3032) takes the names its calls pass, as before params existed.
            HashSet<string> names = declared is { } ps ? [.. ps] : [.. calls.SelectMany(c => c.Arguments.Select(x => x.Name))];
            scopes[a.Name] = new(names, DescribeParams(declared, names), DescribeCalls(calls));
        }
        var variables = bound.Declared.GetValueOrDefault(RefKind.Variable) ?? [];
        var checker = new ExpressionChecker(d, model.Variables.Select(v => v.Name).Concat(variables), scopes);
        foreach (var site in bound.Expressions) checker.Check(site);
        foreach (var script in bound.Scripts) checker.CheckScript(script);

        foreach (var http in bound.HttpActions.Where(h => h.Params is null))
        {
            var needed = new SortedSet<string>(checker.ParameterUses.GetValueOrDefault(http.Action) ?? [], StringComparer.Ordinal);
            foreach (var call in callsOf[http.Action]) foreach (var (name, _) in call.Arguments) needed.Add(name);
            if (needed.Count > 0) d.Report(DiagnosticCatalog.UndeclaredHttpParams, http.Span, http.Action, string.Join(", ", needed));
        }
    }

    static Localized DescribeParams(ImmutableArray<string>? declared, HashSet<string> names) => declared switch
    {
        { IsEmpty: true } => new("it declares no params", "params が宣言されていません"),
        { } ps => new($"its params are {string.Join(", ", ps)}", $"params は {string.Join(", ", ps)} です"),
        null when names.Count == 0 => new("it declares no params and no call passes any", "params の宣言がなく、呼び出しも引数を渡していません"),
        null => new($"it declares no params; its calls pass {string.Join(", ", names.Order(StringComparer.Ordinal))}",
            $"params の宣言がなく、呼び出しが渡すのは {string.Join(", ", names.Order(StringComparer.Ordinal))} です"),
    };

    static Localized DescribeCalls(List<CallSite> calls)
    {
        if (calls.Count == 0) return new("no call step calls it", "このアクションを呼ぶ call ステップはありません");
        static string Passes(CallSite c) => c.Arguments.IsEmpty ? "nothing" : string.Join(", ", c.Arguments.Select(a => a.Name));
        static string PassesJa(CallSite c) => c.Arguments.IsEmpty ? "引数なし" : string.Join(", ", c.Arguments.Select(a => a.Name));
        return new(
            "call steps: " + string.Join("; ", calls.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Span.File}({c.Span.Line},{c.Span.Column}) passes {Passes(c)}"))),
            "call ステップ: " + string.Join("、", calls.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Span.File}({c.Span.Line},{c.Span.Column}) が渡すのは {PassesJa(c)}"))));
    }

    void CheckRegexes()
    {
        foreach (var site in bound.Regexes)
        {
            try
            {
                _ = new Regex(site.Pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
            catch (RegexParseException e)
            {
                var at = Math.Clamp(e.Offset - 1, 0, Math.Max(0, site.Pattern.Length - 1));
                d.Report(DiagnosticCatalog.InvalidRegex, site.Pattern.Length == 0 ? site.Node.Span : site.Node.SpanOf(at, at + 1), new Localized(RegexError(e), RegexError(e)));
                continue;
            }
            catch (ArgumentException e)
            {
                d.Report(DiagnosticCatalog.InvalidRegex, site.Node.Span, new Localized(e.Message, e.Message));
                continue;
            }
            if (RegexRisk.FindNestedQuantifier(site.Pattern) is { } risk)
                d.Report(DiagnosticCatalog.SlowRegex, site.Node.SpanOf(risk.Start, risk.End), site.Pattern[risk.Start..risk.End]);
        }
    }

    static string RegexError(RegexParseException e)
    {
        // "Invalid pattern 'x' at offset 3. Not enough )'s." → "Not enough )'s (at offset 3)"
        var m = e.Message;
        var dot = m.IndexOf(". ", StringComparison.Ordinal);
        return dot >= 0 ? $"{m[(dot + 2)..].TrimEnd('.')} (at offset {e.Offset})" : m;
    }

    // ---- flows: unreachable steps, goto cycles with no ask ----

    void CheckFlows()
    {
        var edges = new Dictionary<string, List<(string Target, SourceSpan Span)>>(StringComparer.Ordinal);
        foreach (var flow in model.Flows)
        {
            CheckUnreachableSteps(flow.Steps);
            var list = new List<(string, SourceSpan)>();
            CollectUnguardedGotos(flow.Steps, asked: false, list);
            edges[flow.Name] = list;
        }
        foreach (var component in StronglyConnected(edges))
        {
            var members = component.ToHashSet(StringComparer.Ordinal);
            var first = component.Order(StringComparer.Ordinal).First();
            var isCycle = component.Count > 1 || edges[first].Any(e => e.Target == first);
            if (!isCycle) continue;
            var at = edges[first].First(e => members.Contains(e.Target)).Span;
            d.Report(DiagnosticCatalog.GotoCycle, at, string.Join(" → ", Cycle(first, edges, members).Select(n => $"'{n}'")));
        }
    }

    static List<string> Cycle(string start, Dictionary<string, List<(string Target, SourceSpan Span)>> edges, HashSet<string> members)
    {
        var path = new List<string> { start };
        var current = start;
        while (true)
        {
            var next = edges[current].First(e => members.Contains(e.Target)).Target;
            path.Add(next);
            if (next == start || path.Count > members.Count + 1 || path.IndexOf(next) < path.Count - 1) return path;
            current = next;
        }
    }

    /// <summary>Records goto-flow jumps reachable without an ask before them; returns whether every path through the list asks.</summary>
    static bool CollectUnguardedGotos(ImmutableArray<Step> steps, bool asked, List<(string, SourceSpan)> edges)
    {
        foreach (var step in steps)
        {
            switch (step)
            {
                case AskStep:
                    // Everything after an ask, its onFail included, follows customer input: those jumps are guarded.
                    asked = true;
                    break;
                case GotoStep { Flow: { } target } g when !asked:
                    edges.Add((target, g.Span));
                    return asked;
                case GotoStep { Flow: not null }:
                case HandoffStep or EndStep:
                    return asked;
                case CallStep call:
                    CollectUnguardedGotos(call.OnError, asked, edges);
                    break;
                case IfStep branch:
                    var a = CollectUnguardedGotos(branch.Then, asked, edges);
                    var b = CollectUnguardedGotos(branch.Else, asked, edges);
                    asked = asked || (a && b);
                    break;
            }
        }
        return asked;
    }

    static IEnumerable<List<string>> StronglyConnected(Dictionary<string, List<(string Target, SourceSpan Span)>> edges)
    {
        // Tarjan, iterative so a long chain of flows cannot overflow the stack.
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var result = new List<List<string>>();
        var counter = 0;
        foreach (var start in edges.Keys.Order(StringComparer.Ordinal))
        {
            if (index.ContainsKey(start)) continue;
            var work = new Stack<(string Node, int Next)>();
            work.Push((start, 0));
            index[start] = low[start] = counter++;
            stack.Push(start);
            onStack.Add(start);
            while (work.Count > 0)
            {
                var (node, next) = work.Pop();
                var targets = edges[node];
                if (next < targets.Count)
                {
                    work.Push((node, next + 1));
                    var t = targets[next].Target;
                    if (!edges.ContainsKey(t)) continue;
                    if (!index.TryGetValue(t, out var tIndex))
                    {
                        index[t] = low[t] = counter++;
                        stack.Push(t);
                        onStack.Add(t);
                        work.Push((t, 0));
                    }
                    else if (onStack.Contains(t)) low[node] = Math.Min(low[node], tIndex);
                    continue;
                }
                if (work.Count > 0)
                {
                    var parent = work.Peek().Node;
                    low[parent] = Math.Min(low[parent], low[node]);
                }
                if (low[node] == index[node])
                {
                    var component = new List<string>();
                    string w;
                    do
                    {
                        w = stack.Pop();
                        onStack.Remove(w);
                        component.Add(w);
                    } while (w != node);
                    result.Add(component);
                }
            }
        }
        return result;
    }

    /// <summary>Reports the first step after one that always leaves the flow; returns whether the list always leaves.</summary>
    bool CheckUnreachableSteps(ImmutableArray<Step> steps)
    {
        Step? leaver = null;
        foreach (var step in steps)
        {
            if (leaver is not null)
            {
                d.Report(DiagnosticCatalog.UnreachableStep, step.Span, leaver.Span);
                return true;
            }
            var leaves = step switch
            {
                GotoStep g => g.Flow is not null,
                HandoffStep or EndStep => true,
                IfStep i => CheckUnreachableSteps(i.Then) & CheckUnreachableSteps(i.Else) && i.Else.Length > 0,
                AskStep a => Nested(a.OnFail),
                CallStep c => Nested(c.OnError),
                _ => false,
            };
            if (leaves) leaver = step;
        }
        return leaver is not null;
    }

    bool Nested(ImmutableArray<Step> steps)
    {
        CheckUnreachableSteps(steps);
        return false;
    }

    // ---- reachability of flows and stages ----

    void CheckReachability()
    {
        var flows = model.Flows.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var work = new Stack<string>();
        foreach (var f in model.Flows.Where(f => f.Trigger is not null)) work.Push(f.Name);
        foreach (var p in model.Journey.SelectMany(s => s.Proactive)) if (p.Flow is not null) work.Push(p.Flow);
        var stagesReached = new HashSet<string>(StringComparer.Ordinal);
        while (work.Count > 0)
        {
            var name = work.Pop();
            if (!reached.Add(name) || !flows.TryGetValue(name, out var flow)) continue;
            foreach (var g in StepTree.Descendants(flow.Steps).OfType<GotoStep>())
            {
                if (g.Flow is not null) work.Push(g.Flow);
                if (g.Stage is not null) stagesReached.Add(g.Stage);
            }
        }
        foreach (var f in model.Flows)
            if (!reached.Contains(f.Name)) d.Report(DiagnosticCatalog.UnreachableFlow, f.Span, f.Name);
        for (var i = 1; i < model.Journey.Length; i++)
        {
            var s = model.Journey[i];
            if (s.EntersOn.Length == 0 && !stagesReached.Contains(s.Name)) d.Report(DiagnosticCatalog.UnreachableStage, s.Span, s.Name);
        }
    }

    /// <summary>A queue without hours counts as always staffed (docs/language.md "Handoff"); a handoff to it is worth a warning.</summary>
    void CheckQueues()
    {
        var withoutHours = model.Handoff.Queues.Where(q => q.Hours is null).Select(q => q.Name).ToHashSet(StringComparer.Ordinal);
        if (withoutHours.Count == 0) return;
        var handoffs = model.AllSteps().OfType<HandoffStep>().Select(h => (h.Queue, h.Span))
            .Concat(model.Handoff.Rules.Select(r => (r.Queue, r.Span)));
        foreach (var (queue, span) in handoffs)
            if (withoutHours.Contains(queue)) d.Report(DiagnosticCatalog.QueueWithoutHours, span, queue);
    }

    /// <summary>The agent hub's settings (issue 9): a maxWait needs somewhere to go, an offered channel something that takes it, a ticket number text.</summary>
    void CheckHubSettings()
    {
        var handoff = model.Handoff;
        if (handoff.OnTimeout is null)
            foreach (var q in handoff.Queues.Where(q => q.MaxWait is not null))
                d.Report(DiagnosticCatalog.MaxWaitWithoutTimeout, q.Span, q.Name); // unit test: Golden/handoff/max-wait-without-timeout.yaml
        var tickets = model.AllSteps().OfType<TicketStep>().ToList();
        if (handoff.OnTimeout is { } onTimeout)
            foreach (var channel in onTimeout.Offer.Distinct(StringComparer.Ordinal))
            {
                var kind = channel switch { "callback" => TicketKind.Callback, "email" => TicketKind.Email, _ => (TicketKind?)null };
                if (kind is { } k && !tickets.Any(t => t.Kind == k))
                    d.Report(DiagnosticCatalog.TimeoutOfferNotTaken, onTimeout.Span, channel); // unit test: Golden/handoff/timeout-offer-not-taken.yaml
            }
        var types = model.Variables.ToDictionary(v => v.Name, v => v.Type, StringComparer.Ordinal);
        foreach (var t in tickets)
            if (t.Into is { } into && types.TryGetValue(into, out var type) && type != VariableType.String)
                d.Report(DiagnosticCatalog.TicketIntoNotText, t.Span, into, Binder.TypeNameOf(type)); // unit test: Golden/flow/ticket-into-number.yaml
    }

    /// <summary>Examples an intent should have (SK4035): one per fold of a 5-fold cross-validation, and enough wordings for similarity.</summary>
    const int MinimumExamples = 5;

    void CheckIntents()
    {
        foreach (var intent in model.Intents)
        {
            if (intent.Patterns.Length == 0 && intent.Keywords.Length == 0 && intent.Examples.Length < 3)
                d.Report(DiagnosticCatalog.TooFewExamples, intent.Span, intent.Name, intent.Examples.Length);
            // An intent recognised only by patterns or keywords (no examples) is the designer's choice, not thin data.
            else if (intent.Examples.Length is > 0 and < MinimumExamples)
                d.Report(DiagnosticCatalog.FewExamples, intent.Span, intent.Name, intent.Examples.Length, MinimumExamples);
        }
        var byIntent = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var flow in model.Flows)
        {
            if (flow.Trigger?.Intent is not { } intent) continue;
            if (byIntent.TryGetValue(intent, out var first)) d.Report(DiagnosticCatalog.DuplicateTrigger, flow.Trigger.Span, intent, first, flow.Name);
            else byIntent[intent] = flow.Name;
        }
    }

    void CheckCalls()
    {
        var declared = model.Actions.Where(a => a.Script is not null).ToDictionary(a => a.Name, a => a.Script!.Parameters, StringComparer.Ordinal);
        foreach (var http in bound.HttpActions)
            if (http.Params is { } ps) declared[http.Action] = ps;
        foreach (var call in bound.Calls)
        {
            if (!declared.TryGetValue(call.Action, out var ps)) continue;
            foreach (var (name, span) in call.Arguments)
                if (!ps.Contains(name)) d.Report(DiagnosticCatalog.UnknownArgument, span, call.Action, name, Localized.DidYouMean(Suggest.Closest(name, ps)));
        }
    }

    void CheckAssignments()
    {
        var types = model.Variables.ToDictionary(v => v.Name, v => v, StringComparer.Ordinal);
        foreach (var set in model.AllSteps().OfType<SetStep>())
            foreach (var a in set.Assignments)
            {
                if (a.Literal is not { } value || !types.TryGetValue(a.Variable, out var v)) continue;
                var fits = (v.Type, value.ValueKind) switch
                {
                    (_, JsonValueKind.Null) => true,
                    (VariableType.String, JsonValueKind.String) => true,
                    (VariableType.Number, JsonValueKind.Number) => true,
                    (VariableType.Integer, JsonValueKind.Number) => value.TryGetInt64(out _),
                    (VariableType.Boolean, JsonValueKind.True or JsonValueKind.False) => true,
                    (VariableType.Object, JsonValueKind.Object) => true,
                    (VariableType.List, JsonValueKind.Array) => true,
                    _ => false,
                };
                if (fits && v.Enum.Length > 0 && value.ValueKind != JsonValueKind.Null && !v.Enum.Any(e => JsonElement.DeepEquals(e, value)))
                    d.Report(DiagnosticCatalog.SetTypeMismatch, a.Span, v.Name, Binder.TypeNameOf(v.Type),
                        new Localized($"{value.GetRawText()} (not one of its enum values)", $"{value.GetRawText()}（enum の値ではありません）"));
                else if (!fits)
                    d.Report(DiagnosticCatalog.SetTypeMismatch, a.Span, v.Name, Binder.TypeNameOf(v.Type), value.GetRawText());
            }
        // A template with text around its holes always gives text (unit test: Golden/variables/set-text-template.yaml).
        foreach (var set in model.AllSteps().OfType<SetStep>())
            foreach (var a in set.Assignments)
                if (a.Value is { } t && (t.Parts.Length != 1 || t.Parts[0].Expression is null)
                    && types.TryGetValue(a.Variable, out var v) && v.Type != VariableType.String)
                    d.Report(DiagnosticCatalog.TextTemplateIntoNonText, a.Span, t.Source, v.Name, Binder.TypeNameOf(v.Type));
    }

    /// <summary>An ask stores a value of its answer type; a declared variable of another type could never hold it (unit test: Golden/variables/ask-type.yaml).</summary>
    void CheckAskTypes()
    {
        var types = model.Variables.ToDictionary(v => v.Name, v => v, StringComparer.Ordinal);
        foreach (var ask in model.AllSteps().OfType<AskStep>())
        {
            if (!types.TryGetValue(ask.Variable, out var v)) continue;
            var (answerType, fits) = (ask.Expect ?? Expectation.AnyText).Kind switch
            {
                ExpectKind.Number => (new Localized("a number", "数値"), v.Type is VariableType.Number),
                ExpectKind.Integer => (new Localized("an integer", "整数"), v.Type is VariableType.Number or VariableType.Integer),
                ExpectKind.YesNo => (new Localized("true or false (yes/no)", "真偽値（はい・いいえ）"), v.Type is VariableType.Boolean),
                _ => (new Localized("text", "文字列"), v.Type is VariableType.String),
            };
            if (!fits)
            {
                d.Report(DiagnosticCatalog.AskTypeMismatch, ask.Span, ask.Variable, answerType, Binder.TypeNameOf(v.Type));
                continue;
            }
            // A choice stores the choice's value: each must be one of the variable's enum values.
            if (ask.Expect?.Kind == ExpectKind.Choice && v.Enum.Length > 0)
                foreach (var choice in ask.Expect.Choices)
                    if (!v.Enum.Any(e => e.ValueKind == JsonValueKind.String && e.GetString() == choice.Value))
                        d.Report(DiagnosticCatalog.AskTypeMismatch, ask.Expect.Span, ask.Variable,
                            new Localized($"the choice '{choice.Value}'", $"選択肢 '{choice.Value}'"),
                            new Localized($"{Binder.TypeNameOf(v.Type).En} with enum [{string.Join(", ", v.Enum.Select(e => e.GetRawText()))}]",
                                $"{Binder.TypeNameOf(v.Type).Ja}（enum [{string.Join(", ", v.Enum.Select(e => e.GetRawText()))}]）"));
        }
    }
}

/// <summary>
/// A cheap static test for the classic catastrophic-backtracking shape: a group repeated without bound
/// whose iterations can split the input in many ways because the group (or one of its alternatives)
/// starts with an unbounded repetition: (a+)+, (\w+\s?)*, (.*x)+, (a|b+)*. A group that starts with
/// a required atom, such as (\s\w+)*, is not reported.
/// </summary>
internal static class RegexRisk
{
    sealed class Group(int start)
    {
        public readonly int Start = start;
        public int Atoms;           // atoms so far in the current alternative
        public bool StartsUnbounded; // some alternative starts with an unbounded repetition
    }

    public static (int Start, int End)? FindNestedQuantifier(string pattern)
    {
        var groups = new Stack<Group>();
        var top = new Group(0);
        Group? lastClosed = null; // the group that is the atom just before a quantifier, if any
        var i = 0;
        while (i < pattern.Length)
        {
            var ch = pattern[i];
            var current = groups.Count > 0 ? groups.Peek() : top;
            switch (ch)
            {
                case '(':
                {
                    var g = new Group(i);
                    i++;
                    if (i < pattern.Length && pattern[i] == '?') i = SkipGroupPrefix(pattern, i);
                    groups.Push(g);
                    lastClosed = null;
                    continue;
                }
                case ')' when groups.Count > 0:
                {
                    var g = groups.Pop();
                    var parent = groups.Count > 0 ? groups.Peek() : top;
                    parent.Atoms++;
                    if (parent.Atoms == 1 && g.StartsUnbounded) parent.StartsUnbounded = true;
                    lastClosed = g;
                    i++;
                    continue;
                }
                case '|':
                    current.Atoms = 0;
                    lastClosed = null;
                    i++;
                    continue;
                case '*' or '+' or '{' when ch != '{' || IsOpenRange(pattern, i):
                    if (lastClosed is { StartsUnbounded: true }) return (lastClosed.Start, Math.Min(pattern.Length, i + 1));
                    if (current.Atoms == 1) current.StartsUnbounded = true;
                    lastClosed = null;
                    i += ch == '{' ? pattern.IndexOf('}', i) - i + 1 : 1;
                    continue;
                case '?' or '{':
                    lastClosed = null;
                    i += ch == '{' && pattern.IndexOf('}', i) > i ? pattern.IndexOf('}', i) - i + 1 : 1;
                    continue;
                case '\\':
                    current.Atoms++;
                    lastClosed = null;
                    i += 2;
                    continue;
                case '[':
                    current.Atoms++;
                    lastClosed = null;
                    i++;
                    if (i < pattern.Length && pattern[i] == '^') i++;
                    if (i < pattern.Length && pattern[i] == ']') i++;
                    while (i < pattern.Length && pattern[i] != ']') i += pattern[i] == '\\' ? 2 : 1;
                    i++;
                    continue;
                case '^' or '$':
                    lastClosed = null;
                    i++;
                    continue;
                default:
                    current.Atoms++;
                    lastClosed = null;
                    i++;
                    continue;
            }
        }
        return null;
    }

    /// <summary>Skips (?:, (?=, (?!, (?&lt;=, (?&lt;!, (?&lt;name&gt;, (?'name' and inline options; returns the index of the group's content.</summary>
    static int SkipGroupPrefix(string p, int i)
    {
        i++; // '?'
        if (i >= p.Length) return i;
        switch (p[i])
        {
            case ':' or '=' or '!' or '>':
                return i + 1;
            case '<' when i + 1 < p.Length && p[i + 1] is '=' or '!':
                return i + 2;
            case '<' or '\'':
            {
                var close = p.IndexOf(p[i] == '<' ? '>' : '\'', i + 1);
                return close < 0 ? p.Length : close + 1;
            }
            default:
                while (i < p.Length && p[i] is not (':' or ')')) i++;
                return i < p.Length && p[i] == ':' ? i + 1 : i;
        }
    }

    static bool IsOpenRange(string p, int i)
    {
        var close = p.IndexOf('}', i);
        return close > i && p[(i + 1)..close] is var body && body.EndsWith(',') && body.TrimEnd(',').All(char.IsAsciiDigit) && body.Length > 1;
    }
}
