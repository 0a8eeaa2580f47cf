using System.Collections.Frozen;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using ScenarioKit.Engine.Actions;
using ScenarioKit.Engine.Expressions;
using ScenarioKit.Engine.Handoff;
using ScenarioKit.Engine.Recognition;
using ScenarioKit.Model.Text;
using ScenarioKit.Engine.Validation;
using ScenarioKit.Model;

namespace ScenarioKit.Engine.Runtime;

/// <summary>A step with its successors resolved, so running a flow is a walk over these nodes.</summary>
internal sealed class StepNode(Step step, string flow, StepNode? next)
{
    public Step Step { get; } = step;
    public string Flow { get; } = flow;

    /// <summary>What runs after this step; null ends the flow.</summary>
    public StepNode? Next { get; } = next;

    public StepNode? Then { get; set; }
    public StepNode? Else { get; set; }

    /// <summary>First step of <c>onFail</c> (ask) or <c>onError</c> (call); those lists end the flow when they finish.</summary>
    public StepNode? Alternative { get; set; }
}

/// <summary>
/// Everything the engine derives from a package once, at load: lookup tables, prepared
/// expressions, compiled regexes, example vectors, resolved time zones. Immutable and shared by
/// every conversation on every thread.
/// </summary>
internal sealed class CompiledScenario
{
    public CompiledScenario(ScenarioPackage package, RuntimeOptions options, List<RuntimeError> errors)
    {
        Manifest = package.Manifest;
        Model = package.Model;
        Options = options;
        var model = package.Model;

        var names = new HashSet<string>(model.Variables.Select(v => v.Name), StringComparer.Ordinal);
        foreach (var step in model.AllSteps())
        {
            switch (step)
            {
                case AskStep a: names.Add(a.Variable); break;
                case CallStep { Into: { } into }: names.Add(into); break;
                case SetStep s: foreach (var asg in s.Assignments) names.Add(asg.Variable); break;
            }
        }
        Variables = new VariableIndex(names);
        Defaults = model.Variables.Where(v => v.Default is not null)
            .Select(v => (v.Name, JsonValues.FromElement(v.Default!.Value))).ToArray();
        DeclaredVariables = model.Variables.ToFrozenDictionary(v => v.Name, StringComparer.Ordinal);
        UserScoped = model.Variables.Where(v => v.Scope == VariableScope.User).Select(v => v.Name).ToFrozenSet(StringComparer.Ordinal);

        var vocabulary = model.Vocabulary.IsDefaultOrEmpty ? VocabularyRewriter.Empty : new VocabularyRewriter(model.Vocabulary);
        var recognizer = model.Recognizer ?? RecognizerSettings.Default;
        Intents = new ImmutableIntentList([.. model.Intents.Select((i, n) => new CompiledIntent(i, n, options, vocabulary, errors))], vocabulary,
            japanese: IsJapanese, lexicon: recognizer.Lexicon ? SupportLexicon.Shared : null,
            vocabularyTerms: model.Vocabulary.IsDefaultOrEmpty ? [] : model.Vocabulary.Select(t => vocabulary.Rewrite(MatchText.NormalizeAndFold(t.Term))));
        Recognizer = new IntentRecognizer(Intents, recognizer);

        var flows = new Dictionary<string, FlowDef>(StringComparer.Ordinal);
        var firstSteps = new Dictionary<string, StepNode?>(StringComparer.Ordinal);
        var nodes = new Dictionary<string, StepNode>(StringComparer.Ordinal);
        foreach (var flow in model.Flows)
        {
            flows[flow.Name] = flow;
            firstSteps[flow.Name] = BuildList(flow.Steps, flow.Name, null, nodes);
        }
        Flows = flows.ToFrozenDictionary(StringComparer.Ordinal);
        FirstSteps = firstSteps.ToFrozenDictionary(StringComparer.Ordinal);
        Steps = nodes.ToFrozenDictionary(StringComparer.Ordinal);

        IntentFlows = model.Flows.Where(f => f.Trigger?.Intent is not null)
            .GroupBy(f => f.Trigger!.Intent!, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.First().Name, StringComparer.Ordinal);
        EventFlows = [.. model.Flows.Where(f => f.Trigger?.Event is not null)];

        var handoff = model.Handoff ?? HandoffDef.Empty;
        Handoff = handoff;
        HandoffIntents = handoff.Rules.Where(r => r.Intent is not null).Select(r => r.Intent!).ToFrozenSet(StringComparer.Ordinal);
        // An interrupting intent is only a digression if something answers it (a flow or a handoff rule);
        // otherwise the text is simply the answer to the waiting ask.
        DigressionIntents = model.Intents.Where(i => i.Interrupts && IntentFlows.ContainsKey(i.Name)).Select(i => i.Name)
            .Concat(HandoffIntents).ToFrozenSet(StringComparer.Ordinal);
        var digressions = DigressionIntents;
        IsDigression = intent => digressions.Contains(intent.Name);
        Queues = handoff.Queues.ToFrozenDictionary(q => q.Name, q => QueueHours.Create(q, errors), StringComparer.Ordinal);
        Zone = ScenarioZone(model, errors);
        Stages = model.Journey.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);
        Actions = model.Actions.ToFrozenDictionary(a => a.Name, StringComparer.Ordinal);

        // Prepare every expression, template and regex now: nothing is parsed during a turn.
        var expressions = new Dictionary<Expression, CompiledExpression>(ReferenceEqualityComparer.Instance);
        var templates = new Dictionary<Template, CompiledTemplate>(ReferenceEqualityComparer.Instance);
        var validators = new Dictionary<AskStep, AnswerValidator>(ReferenceEqualityComparer.Instance);
        void Expr(Expression? e)
        {
            if (e is not null && !expressions.ContainsKey(e)) expressions[e] = CompiledExpression.Prepare(e, Variables, errors);
        }
        void Tpl(Template? t)
        {
            if (t is not null && !templates.ContainsKey(t)) templates[t] = new CompiledTemplate(t, Variables, errors);
        }
        void Msg(Message? m)
        {
            if (m is null) return;
            foreach (var t in m.Variations) Tpl(t);
            foreach (var t in m.Suggestions) Tpl(t);
        }
        Msg(model.Welcome);
        Msg(model.Fallback);
        Msg(model.Recognizer?.Clarify);
        Msg(model.Cancel?.Say);
        foreach (var stage in model.Journey)
        {
            foreach (var t in stage.EntersOn) Expr(t.When);
            foreach (var p in stage.Proactive)
            {
                Expr(p.On.When);
                Msg(p.Say);
                if (p.Flow is not null && !flows.ContainsKey(p.Flow))
                    errors.Add(new RuntimeError($"proactive rule '{p.Id}' starts unknown flow '{p.Flow}'", p.Span));
            }
        }
        foreach (var flow in model.Flows)
        {
            Expr(flow.Trigger?.Event?.When);
            foreach (var step in StepTree.Descendants(flow.Steps))
            {
                switch (step)
                {
                    case SayStep s: Msg(s.Message); break;
                    case AskStep a:
                        Msg(a.Prompt);
                        Msg(a.Retry);
                        validators[a] = new AnswerValidator(a.Expect ?? Expectation.AnyText, options, a.Span, errors);
                        foreach (var check in a.Validate)
                        {
                            Expr(check.Must);
                            Msg(check.Message);
                        }
                        if (a.MaxAttempts < 1) errors.Add(new RuntimeError($"ask '{a.Variable}': maxAttempts must be at least 1", a.Span));
                        break;
                    case CallStep c:
                        foreach (var arg in c.With) Tpl(arg.Value);
                        if (!Actions.ContainsKey(c.Action)) errors.Add(new RuntimeError($"call of unknown action '{c.Action}'", c.Span));
                        break;
                    case SetStep s:
                        foreach (var asg in s.Assignments) Tpl(asg.Value);
                        break;
                    case IfStep i: Expr(i.Condition); break;
                    case GotoStep g:
                        if (g.Flow is not null && !flows.ContainsKey(g.Flow)) errors.Add(new RuntimeError($"goto unknown flow '{g.Flow}'", g.Span));
                        if (g.Stage is not null && !Stages.ContainsKey(g.Stage)) errors.Add(new RuntimeError($"goto unknown stage '{g.Stage}'", g.Span));
                        break;
                    case HandoffStep h:
                        Msg(h.Say);
                        if (!Queues.ContainsKey(h.Queue)) errors.Add(new RuntimeError($"handoff to unknown queue '{h.Queue}'", h.Span));
                        break;
                    case EndStep e: Msg(e.Say); break;
                    case TicketStep t:
                        Tpl(t.Contact);
                        Tpl(t.Time);
                        Tpl(t.Note);
                        if (t.Queue is not null && !Queues.ContainsKey(t.Queue)) errors.Add(new RuntimeError($"ticket for unknown queue '{t.Queue}'", t.Span));
                        break;
                }
            }
        }
        foreach (var rule in handoff.Rules)
        {
            Expr(rule.When);
            Msg(rule.Say);
            if (!Queues.ContainsKey(rule.Queue)) errors.Add(new RuntimeError($"handoff rule '{rule.Id}' uses unknown queue '{rule.Queue}'", rule.Span));
        }
        Msg(handoff.Say);
        Msg(handoff.OutOfHours?.Say);
        foreach (var queue in handoff.Queues) Msg(queue.OutOfHours?.Say);
        Msg(handoff.OnTimeout?.Say);
        Msg(handoff.Waiting);
        Expressions = expressions;
        Templates = templates;
        Validators = validators;
        var slotPatterns = new Dictionary<AskStep, Regex>(ReferenceEqualityComparer.Instance);
        foreach (var ask in validators.Keys)
            if (SlotSearch(ask, options, errors) is { } search) slotPatterns[ask] = search;
        SlotPatterns = slotPatterns;
        FlowAsks = model.Flows.ToFrozenDictionary(f => f.Name, f => FillableAsks(f.Steps).ToArray(), StringComparer.Ordinal);
        CancelWords = Cancelling.Create(model.Cancel, options, errors);

        foreach (var action in model.Actions)
            CompiledAction.Attach(action, options, errors);
    }

    public PackageManifest Manifest { get; }
    public ScenarioModel Model { get; }
    public RuntimeOptions Options { get; }
    public VariableIndex Variables { get; }
    public (string Name, JsonNode? Value)[] Defaults { get; }
    public FrozenSet<string> UserScoped { get; }
    public FrozenDictionary<string, VariableDef> DeclaredVariables { get; }
    public ImmutableIntentList Intents { get; }
    public IntentRecognizer Recognizer { get; }
    public FrozenDictionary<string, FlowDef> Flows { get; }
    public FrozenDictionary<string, StepNode?> FirstSteps { get; }
    public FrozenDictionary<string, StepNode> Steps { get; }
    public FrozenDictionary<string, string> IntentFlows { get; }
    public FlowDef[] EventFlows { get; }
    public HandoffDef Handoff { get; }
    public FrozenSet<string> HandoffIntents { get; }
    public FrozenSet<string> DigressionIntents { get; }

    /// <summary>The intents recognised while an ask waits, as the recognizer's filter (made once: it runs on every answer).</summary>
    public Func<CompiledIntent, bool> IsDigression { get; }
    public FrozenDictionary<string, QueueHours> Queues { get; }
    public FrozenDictionary<string, StageDef> Stages { get; }
    public FrozenDictionary<string, ActionDef> Actions { get; }
    public IReadOnlyDictionary<Expression, CompiledExpression> Expressions { get; }
    public IReadOnlyDictionary<Template, CompiledTemplate> Templates { get; }
    public IReadOnlyDictionary<AskStep, AnswerValidator> Validators { get; }

    /// <summary>Per ask, the regex that finds its value inside a message: <c>extract</c>, else its <c>pattern</c> unanchored.</summary>
    public IReadOnlyDictionary<AskStep, Regex> SlotPatterns { get; }

    /// <summary>Per flow, the asks a message may fill before they are reached, in source order (onFail/onError lists excluded).</summary>
    public FrozenDictionary<string, AskStep[]> FlowAsks { get; }

    /// <summary>What cancels a waiting form (docs/language.md "Cancel").</summary>
    public Cancelling CancelWords { get; }

    /// <summary>Free text (no pattern, no extract) would swallow any message and yes/no is a confirmation: neither is filled unless the designer says so.</summary>
    static IEnumerable<AskStep> FillableAsks(IEnumerable<Step> steps)
    {
        foreach (var step in steps)
        {
            switch (step)
            {
                case AskStep a when a.Fill != FillMode.Off && (a.Extract is not null || a.Expect.Kind switch
                {
                    ExpectKind.Text => a.Expect.Pattern is not null,
                    ExpectKind.YesNo => a.Fill == FillMode.On,
                    _ => true,
                }):
                    yield return a;
                    break;
                case IfStep i:
                    foreach (var inner in FillableAsks(i.Then.Concat(i.Else))) yield return inner;
                    break;
            }
        }
    }

    static Regex? SlotSearch(AskStep ask, RuntimeOptions options, List<RuntimeError> errors)
    {
        var source = ask.Extract ?? ask.Expect.Pattern;
        if (string.IsNullOrEmpty(source)) return null;
        try
        {
            return new Regex(source, MatchText.PatternOptions, options.RegexTimeout);
        }
        catch (ArgumentException e)
        {
            // The compiler reports it (SK3018); a hand-made package only loses filling for this ask.
            errors.Add(new RuntimeError($"ask '{ask.Variable}': '{source}' is not a valid regular expression: {e.Message}", ask.Span));
            return null;
        }
    }

    public bool IsJapanese => Model.Locale.StartsWith("ja", StringComparison.OrdinalIgnoreCase);

    /// <summary>The scenario's time zone (<c>timezone:</c>), in which answers' dates are read; UTC when none is given.</summary>
    public TimeZoneInfo Zone { get; }

    /// <summary>The calendar date at <paramref name="now"/> in the scenario's time zone: in Tokyo, 16:00 UTC is already tomorrow.</summary>
    public DateOnly LocalDate(DateTimeOffset now) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Zone).DateTime);

    static TimeZoneInfo ScenarioZone(ScenarioModel model, List<RuntimeError> errors)
    {
        if (string.IsNullOrEmpty(model.TimeZone)) return TimeZoneInfo.Utc;
        // TryFind: Find throws a SecurityException for a folder of the zone database ("Europe").
        if (TimeZoneInfo.TryFindSystemTimeZoneById(model.TimeZone, out var zone)) return zone;
        errors.Add(new RuntimeError($"unknown scenario time zone '{model.TimeZone}'", SourceSpan.None));
        return TimeZoneInfo.Utc;
    }

    static StepNode? BuildList(IReadOnlyList<Step> steps, string flow, StepNode? continuation, Dictionary<string, StepNode> nodes)
    {
        var next = continuation;
        for (var i = steps.Count - 1; i >= 0; i--)
        {
            var step = steps[i];
            var node = new StepNode(step, flow, next);
            switch (step)
            {
                case IfStep s:
                    node.Then = BuildList(s.Then, flow, next, nodes);
                    node.Else = BuildList(s.Else, flow, next, nodes);
                    break;
                case AskStep a:
                    node.Alternative = BuildList(a.OnFail, flow, null, nodes);
                    break;
                case CallStep c:
                    node.Alternative = BuildList(c.OnError, flow, null, nodes);
                    break;
            }
            nodes[step.Id] = node;
            next = node;
        }
        return next;
    }
}
