using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Model;
using ScenarioKit.Testing.Definitions;
using ScenarioKit.Testing.Diagnostics;

namespace ScenarioKit.Testing.Syntax;

/// <summary>
/// Reads a <c>*.test.yaml</c> file (and the fixture files it includes) into a <see cref="TestSuite"/>:
/// shape checks with SK50xx diagnostics; references into the scenario are checked later by
/// <see cref="Binding.TestBinder"/>.
/// </summary>
internal static partial class TestFileReader
{
    /// <summary>Used when neither the test nor the file sets <c>clock</c>: Monday 2026-01-05 10:00 UTC (19:00 in Tokyo).</summary>
    public static readonly DateTimeOffset DefaultClock = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The Bot Framework channel id a test conversation comes from unless it sets <c>channel</c>.</summary>
    public const string DefaultChannel = "test";

    static readonly string[] FileKeys = ["scenario", "include", "given", "mocks", "setup", "tests", "clock", "locale", "channel"];
    static readonly string[] TestKeys = ["name", "description", "given", "locale", "channel", "clock", "mocks", "steps", "cases", "skip", "welcome"];
    static readonly string[] StepKeys = ["user", "event", "bot", "suggestions", "expect", "handoff", "noReply", "wait", "queue", "agent", "ticket"];

    // `$${` is a literal `${`: the lookbehind keeps it from being a placeholder.
    [GeneratedRegex(@"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_.]*)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"(Z|[+-]\d{2}:?\d{2})$")]
    private static partial Regex OffsetSuffix();

    [GeneratedRegex(@"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    private static partial Regex LocaleForm();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(ms|s|m|h|d)$")]
    private static partial Regex DurationForm();

    /// <summary>Shared defaults a file (or an included fixture) gives every test.</summary>
    sealed class Defaults
    {
        public readonly List<GivenValue> Given = [];
        public readonly List<MockDefinition> Mocks = [];
        public readonly List<TestStep> Setup = [];
        public DateTimeOffset? Clock;
        public string? Locale;
        public string? Channel;

        public void Apply(Defaults other)
        {
            Given.AddRange(other.Given);
            Mocks.AddRange(other.Mocks);
            Setup.AddRange(other.Setup);
            Clock = other.Clock ?? Clock;
            Locale = other.Locale ?? Locale;
            Channel = other.Channel ?? Channel;
        }
    }

    public static (TestSuite? Suite, ImmutableArray<Diagnostic> Diagnostics) Read(string path)
    {
        var diagnostics = new DiagnosticBag();
        var suite = Read(path, diagnostics);
        return (diagnostics.HasErrors ? null : suite, diagnostics.ToImmutable());
    }

    internal static TestSuite? Read(string path, DiagnosticBag diagnostics)
    {
        if (LoadMapping(path, "a test file is a mapping with 'scenario' and 'tests'", diagnostics, out var file) is not { } map) return null;
        var whole = new SourceSpan(file, 1, 1, 1, 1);
        CheckKeys(map, "the test file", FileKeys, diagnostics);

        var defaults = new Defaults();
        ReadIncludes(map, Path.GetFullPath(path), [Path.GetFullPath(path)], defaults, diagnostics);
        ReadDefaults(map, defaults, diagnostics);

        string? scenario = null;
        var scenarioSpan = whole;
        if (map.Entry("scenario") is { } scenarioEntry)
        {
            scenarioSpan = scenarioEntry.Value.Span;
            if (RequireString(scenarioEntry.Value, "'scenario'", diagnostics) is { } s)
                scenario = ResolvePath(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", s, scenarioEntry.Value.Span, diagnostics);
        }
        else if (map["tests"] is not null) diagnostics.Add(TestDiagnostics.MissingKey, whole, "the test file", "scenario");

        var tests = ImmutableArray.CreateBuilder<TestDefinition>();
        if (map.Entry("tests") is not { } testsEntry)
        {
            // A file with only shared parts (setup, given, mocks) is a fixture other files include: nothing to run.
            if (map["setup"] is null && map["given"] is null && map["mocks"] is null)
                diagnostics.Add(TestDiagnostics.MissingKey, whole, "the test file", "tests");
        }
        else if (testsEntry.Value is not YSequence testList)
            diagnostics.Add(TestDiagnostics.InvalidValue, testsEntry.Value.Span, "'tests' is a list of tests");
        else
            foreach (var item in testList.Items)
                ReadTest(item, defaults, tests, diagnostics);

        var firstByName = new Dictionary<string, TestDefinition>(StringComparer.Ordinal);
        foreach (var t in tests)
        {
            if (firstByName.TryGetValue(t.Name, out var first))
                diagnostics.Add(TestDiagnostics.DuplicateTestName, t.Span, t.Name, first.Span.Line);
            else firstByName[t.Name] = t;
        }
        return new TestSuite(file, scenario, scenarioSpan, tests.ToImmutable());
    }

    /// <summary>
    /// Paths in diagnostics are relative to the current folder when inside it, as compilers print them.
    /// INVARIANT: total — printing a path never throws (issue 10: an empty scenario path of a fixture crashed
    /// the whole run here); what cannot be resolved is printed as given.
    /// </summary>
    internal static string DisplayPath(string path)
    {
        if (path.Length == 0 || path.Contains('\0', StringComparison.Ordinal)) return path;
        var full = Path.GetFullPath(path);
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, full);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? full : relative;
    }

    /// <summary>A path written in a test or accuracy file, relative to that file's folder; null (reported) when it cannot name a file.</summary>
    internal static string? ResolvePath(string folder, string written, SourceSpan span, DiagnosticBag diagnostics)
    {
        if (written.Length > 0 && !written.Contains('\0', StringComparison.Ordinal))
            return Path.GetFullPath(Path.Combine(folder, written));
        diagnostics.Add(TestDiagnostics.InvalidValue, span, $"'{written.Replace("\0", "\\0", StringComparison.Ordinal)}' is not a file path");
        return null;
    }

    /// <summary>The file's root mapping, or null after reporting why there is none (<paramref name="shape"/> says what it should be).</summary>
    static YMapping? LoadMapping(string path, string shape, DiagnosticBag diagnostics, out string file)
    {
        file = DisplayPath(path);
        if (!TryReadText(path, file, diagnostics, out var text)) return null;
        var root = YamlTree.Load(file, text, diagnostics);
        if (root is YMapping map) return map;
        if (root is not null || !diagnostics.HasErrors)
            diagnostics.Add(TestDiagnostics.InvalidValue, root?.Span ?? new SourceSpan(file, 1, 1, 1, 1), shape);
        return null;
    }

    internal static bool TryReadText(string path, string file, DiagnosticBag diagnostics, out string text)
    {
        try
        {
            text = File.ReadAllText(path, new UTF8Encoding(false, true));
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            diagnostics.Add(TestDiagnostics.InvalidValue, new SourceSpan(file, 1, 1, 1, 1), $"cannot read the file: {e.Message}");
            text = "";
            return false;
        }
    }

    static void ReadIncludes(YMapping map, string fullPath, ImmutableHashSet<string> chain, Defaults into, DiagnosticBag diagnostics)
    {
        if (map["include"] is not { } includeNode) return;
        var items = includeNode is YSequence s ? s.Items : [includeNode];
        foreach (var item in items)
        {
            if (RequireString(item, "an include", diagnostics) is not { } relative) continue;
            if (ResolvePath(Path.GetDirectoryName(fullPath) ?? ".", relative, item.Span, diagnostics) is not { } target) continue;
            if (chain.Contains(target))
            {
                diagnostics.Add(TestDiagnostics.IncludeProblem, item.Span, relative, "includes itself (directly or through another include)");
                continue;
            }
            if (!File.Exists(target))
            {
                diagnostics.Add(TestDiagnostics.IncludeProblem, item.Span, relative, $"no such file ({target})");
                continue;
            }
            var file = DisplayPath(target);
            if (!TryReadText(target, file, diagnostics, out var text)) continue;
            var root = YamlTree.Load(file, text, diagnostics);
            if (root is null) continue;
            if (root is not YMapping fixture)
            {
                diagnostics.Add(TestDiagnostics.IncludeProblem, item.Span, relative, "an included file is a mapping of given, mocks, setup, include");
                continue;
            }
            // Only the shared parts of an included file apply; its own tests (if any) run when that file runs.
            CheckKeys(fixture, "an included file", FileKeys, diagnostics);
            var defaults = new Defaults();
            ReadIncludes(fixture, target, chain.Add(target), defaults, diagnostics);
            ReadDefaults(fixture, defaults, diagnostics);
            into.Apply(defaults);
        }
    }

    static void ReadDefaults(YMapping map, Defaults into, DiagnosticBag diagnostics)
    {
        if (map["given"] is { } given) ReadGiven(given, into.Given, diagnostics);
        if (map["mocks"] is { } mocks) ReadMocks(mocks, into.Mocks, diagnostics);
        if (map["setup"] is { } setup) ReadSteps(setup, "'setup'", into.Setup, diagnostics);
        if (map["clock"] is { } clock) into.Clock = ReadClock(clock, diagnostics);
        if (map["locale"] is { } locale)
        {
            into.Locale = RequireString(locale, "'locale'", diagnostics);
            if (into.Locale is not null && !LocaleForm().IsMatch(into.Locale))
                diagnostics.Add(TestDiagnostics.InvalidValue, locale.Span, $"'locale' is a BCP-47 tag such as ja-JP or en-US (got '{into.Locale}')");
        }
        if (map["channel"] is { } channel) into.Channel = RequireString(channel, "'channel'", diagnostics);
    }

    static void ReadTest(YNode node, Defaults defaults, ImmutableArray<TestDefinition>.Builder tests, DiagnosticBag diagnostics)
    {
        if (node is not YMapping test)
        {
            diagnostics.Add(TestDiagnostics.InvalidValue, node.Span, "a test is a mapping with 'name' and 'steps'");
            return;
        }
        CheckKeys(test, "a test", TestKeys, diagnostics);
        if (test["name"] is null) diagnostics.Add(TestDiagnostics.MissingKey, test.Span, "a test", "name");
        if (test["steps"] is null) diagnostics.Add(TestDiagnostics.MissingKey, test.Span, "a test", "steps");

        if (test.Entry("cases") is not { } casesEntry)
        {
            if (BuildTest(test, defaults, suffix: null, diagnostics) is { } t) tests.Add(t);
            return;
        }
        if (casesEntry.Value is not YSequence rows || rows.Items.IsEmpty)
        {
            diagnostics.Add(TestDiagnostics.InvalidValue, casesEntry.Value.Span, "'cases' is a non-empty list of rows, each a mapping of column → value");
            return;
        }
        var body = test with { Entries = test.Entries.Remove(casesEntry) };
        var nameHasPlaceholder = test["name"] is YScalar n && Placeholder().IsMatch(n.Value);
        for (var i = 0; i < rows.Items.Length; i++)
        {
            if (rows.Items[i] is not YMapping row)
            {
                diagnostics.Add(TestDiagnostics.InvalidValue, rows.Items[i].Span, "a case row is a mapping of column → value");
                continue;
            }
            var columns = row.Entries.ToDictionary(e => e.Key.Value, e => e.Value, StringComparer.Ordinal);
            var expanded = (YMapping)Substitute(body, columns, diagnostics);
            var suffix = nameHasPlaceholder ? null : $" [{i + 1}]";
            if (BuildTest(expanded, defaults, suffix, diagnostics) is { } t) tests.Add(t with { Span = row.Span });
        }
    }

    /// <summary>
    /// Replaces <c>${column}</c> in every scalar of a test body with the row's value. A scalar that is
    /// exactly one placeholder takes the row value's node, so numbers and mappings keep their type.
    /// </summary>
    static YNode Substitute(YNode node, Dictionary<string, YNode> row, DiagnosticBag diagnostics) => node switch
    {
        YMapping m => m with { Entries = [.. m.Entries.Select(e => e with { Value = Substitute(e.Value, row, diagnostics) })] },
        YSequence s => s with { Items = [.. s.Items.Select(i => Substitute(i, row, diagnostics))] },
        YScalar s when s.Value.Contains("${", StringComparison.Ordinal) => SubstituteScalar(s, row, diagnostics),
        _ => node,
    };

    static YNode SubstituteScalar(YScalar s, Dictionary<string, YNode> row, DiagnosticBag diagnostics)
    {
        var whole = Placeholder().Match(s.Value);
        if (whole.Success && whole.Index == 0 && whole.Length == s.Value.Length && row.TryGetValue(whole.Groups[1].Value, out var value))
            return value is YScalar v ? v with { Span = s.Span } : value;
        var text = Placeholder().Replace(s.Value, m =>
        {
            if (row.TryGetValue(m.Groups[1].Value, out var v) && v is YScalar scalar) return scalar.Value;
            if (v is not null)
                diagnostics.Add(TestDiagnostics.InvalidValue, s.Span, $"column '{m.Groups[1].Value}' holds {YamlTree.Describe(v)}; only a scalar can go inside text");
            else
                diagnostics.Add(TestDiagnostics.UndefinedPlaceholder, s.Span, m.Groups[1].Value, string.Join(", ", row.Keys));
            return m.Value;
        });
        return new YScalar(text.Replace("$${", "${", StringComparison.Ordinal), false, s.Span);
    }

    static TestDefinition? BuildTest(YMapping test, Defaults defaults, string? suffix, DiagnosticBag diagnostics)
    {
        var name = test["name"] is { } nameNode ? RequireString(nameNode, "'name'", diagnostics) : null;
        if (name is null || test["steps"] is not { } stepsNode) return null;

        var own = new Defaults();
        ReadDefaults(test, own, diagnostics);
        var steps = new List<TestStep>(defaults.Setup);
        ReadSteps(stepsNode, "'steps'", steps, diagnostics);

        var welcome = false;
        if (test["welcome"] is { } w)
        {
            if (w is YScalar ws && YamlTree.ScalarValue(ws) is bool b) welcome = b;
            else diagnostics.Add(TestDiagnostics.InvalidValue, w.Span, "'welcome' is true or false");
        }
        string? skip = null;
        if (test["skip"] is YScalar skipNode && YamlTree.ScalarValue(skipNode) is not (false or null))
            skip = YamlTree.ScalarValue(skipNode) is true ? "skipped" : skipNode.Value;

        // Later definitions win: includes, then the file, then the test.
        var given = defaults.Given.Concat(own.Given).GroupBy(g => g.Variable).Select(g => g.Last());
        var mocks = defaults.Mocks.Concat(own.Mocks).GroupBy(m => m.Action).Select(g => g.Last());
        return new TestDefinition(
            name + suffix,
            test.Span,
            [.. given],
            own.Locale ?? defaults.Locale,
            own.Channel ?? defaults.Channel ?? DefaultChannel,
            own.Clock ?? defaults.Clock ?? DefaultClock,
            welcome,
            [.. mocks],
            [.. steps],
            skip);
    }

    static void ReadGiven(YNode node, List<GivenValue> into, DiagnosticBag diagnostics)
    {
        if (node is not YMapping m)
        {
            diagnostics.Add(TestDiagnostics.InvalidValue, node.Span, "'given' is a mapping of variable → value");
            return;
        }
        foreach (var e in m.Entries) into.Add(new GivenValue(e.Key.Value, e.Value, e.Key.Span));
    }

    static void ReadMocks(YNode node, List<MockDefinition> into, DiagnosticBag diagnostics)
    {
        if (node is not YMapping m)
        {
            diagnostics.Add(TestDiagnostics.InvalidValue, node.Span, "'mocks' is a mapping of action → { returns | fails, delayMs, with } (or a list of those for successive calls)");
            return;
        }
        foreach (var e in m.Entries)
        {
            var items = e.Value is YSequence list ? list.Items : [e.Value];
            if (items.IsEmpty)
            {
                diagnostics.Add(TestDiagnostics.InvalidValue, e.Value.Span, $"mock '{e.Key.Value}' needs at least one behaviour");
                continue;
            }
            var calls = items.Select(i => ReadMockBehaviour(e.Key.Value, i, diagnostics)).ToList();
            if (calls.All(c => c is not null)) into.Add(new MockDefinition(e.Key.Value, [.. calls!], e.Key.Span));
        }
    }

    static MockBehaviour? ReadMockBehaviour(string action, YNode node, DiagnosticBag diagnostics)
    {
        if (node is not YMapping mock)
        {
            diagnostics.Add(TestDiagnostics.InvalidValue, node.Span, $"mock '{action}' is a mapping: {{ returns: value }} or {{ fails: message }}, optionally with delayMs and with");
            return null;
        }
        CheckKeys(mock, $"mock '{action}'", ["returns", "fails", "delayMs", "with"], diagnostics);
        var returns = mock["returns"] is { } r ? YamlJson.ToJson(r) : (System.Text.Json.JsonElement?)null;
        var fails = mock["fails"] is { } f ? RequireString(f, "'fails'", diagnostics) : null;
        if (mock["returns"] is not null && mock["fails"] is not null)
            diagnostics.Add(TestDiagnostics.InvalidValue, mock.Span, $"mock '{action}' either returns or fails, not both");
        else if (mock["returns"] is null && mock["fails"] is null)
            diagnostics.Add(TestDiagnostics.MissingKey, mock.Span, $"mock '{action}'", "returns | fails");
        var delay = TimeSpan.Zero;
        if (mock["delayMs"] is { } d)
        {
            if (d is YScalar ds && YamlTree.ScalarValue(ds) is long ms && ms >= 0) delay = TimeSpan.FromMilliseconds(ms);
            else diagnostics.Add(TestDiagnostics.InvalidValue, d.Span, "'delayMs' is a whole number of milliseconds ≥ 0");
        }
        System.Text.Json.JsonElement? with = null;
        if (mock["with"] is { } w)
        {
            if (w is YMapping) with = YamlJson.ToJson(w);
            else diagnostics.Add(TestDiagnostics.InvalidValue, w.Span, "'with' is a mapping of argument → expected value");
        }
        return new MockBehaviour(returns, fails, delay, with, mock.Span);
    }

    static DateTimeOffset? ReadClock(YNode node, DiagnosticBag diagnostics)
    {
        if (node is YScalar s && OffsetSuffix().IsMatch(s.Value)
            && DateTimeOffset.TryParse(s.Value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var clock))
            return clock;
        diagnostics.Add(TestDiagnostics.InvalidValue, node.Span,
            $"'clock' is an ISO 8601 date and time with its offset, such as \"2026-11-24T10:00:00+09:00\" (got {YamlTree.Describe(node)})");
        return null;
    }

    internal static TimeSpan? ReadDuration(YNode node, DiagnosticBag diagnostics)
    {
        if (node is YScalar s)
        {
            if (YamlTree.ScalarValue(s) is long ms && ms >= 0) return TimeSpan.FromMilliseconds(ms);
            var m = DurationForm().Match(s.Value);
            if (m.Success)
            {
                var amount = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                return m.Groups[2].Value switch
                {
                    "ms" => TimeSpan.FromMilliseconds(amount),
                    "s" => TimeSpan.FromSeconds(amount),
                    "m" => TimeSpan.FromMinutes(amount),
                    "h" => TimeSpan.FromHours(amount),
                    _ => TimeSpan.FromDays(amount),
                };
            }
        }
        diagnostics.Add(TestDiagnostics.InvalidValue, node.Span, $"a duration is a number with a unit: 500ms, 30s, 10m, 2h, 1d (got {YamlTree.Describe(node)})");
        return null;
    }

    static void ReadSteps(YNode node, string where, List<TestStep> into, DiagnosticBag diagnostics)
    {
        if (node is not YSequence list)
        {
            diagnostics.Add(TestDiagnostics.InvalidValue, node.Span, $"{where} is a list of steps");
            return;
        }
        foreach (var item in list.Items)
            if (ReadStep(item, diagnostics) is { } step) into.Add(step);
    }

    static TestStep? ReadStep(YNode node, DiagnosticBag diagnostics)
    {
        if (node is not YMapping step)
        {
            diagnostics.Add(TestDiagnostics.InvalidValue, node.Span, $"a step is a mapping with one of: {string.Join(", ", StepKeys)}");
            return null;
        }
        var kinds = step.Entries.Where(e => StepKeys.Contains(e.Key.Value)).ToList();
        if (kinds.Count != 1)
        {
            diagnostics.Add(kinds.Count == 0 ? TestDiagnostics.MissingKey : TestDiagnostics.InvalidValue, step.Span,
                kinds.Count == 0
                    ? ["a step", string.Join(" | ", StepKeys)]
                    : [$"a step has exactly one of {string.Join(", ", StepKeys)}; this one has {string.Join(" and ", kinds.Select(k => k.Key.Value))}"]);
            return null;
        }
        var kind = kinds[0];
        var span = step.Span;
        var value = kind.Value;
        switch (kind.Key.Value)
        {
            case "user":
                CheckKeys(step, "a user step", ["user"], diagnostics);
                return RequireString(value, "'user'", diagnostics) is { } text ? new UserStep(text, span) : null;
            case "event":
            {
                CheckKeys(step, "an event step", ["event", "value"], diagnostics);
                var name = RequireString(value, "'event'", diagnostics);
                var eventValue = step["value"] is { } v ? YamlJson.ToJson(v) : (System.Text.Json.JsonElement?)null;
                return name is null ? null : new EventStep(name, eventValue, span);
            }
            case "bot":
                CheckKeys(step, "a bot step", ["bot"], diagnostics);
                return ReadBot(value, span, diagnostics);
            case "suggestions":
            {
                CheckKeys(step, "a suggestions step", ["suggestions"], diagnostics);
                if (value is not YSequence items)
                {
                    diagnostics.Add(TestDiagnostics.InvalidValue, value.Span, "'suggestions' is a list of expected suggestion texts");
                    return null;
                }
                var matchers = items.Items.Select(i => ReadMatcher(i, diagnostics)).ToList();
                return matchers.Any(m => m is null) ? null : new SuggestionsStep([.. matchers!], span);
            }
            case "expect":
                CheckKeys(step, "an expect step", ["expect"], diagnostics);
                return ReadExpect(value, span, diagnostics);
            case "handoff":
                CheckKeys(step, "a handoff step", ["handoff"], diagnostics);
                return ReadHandoff(value, span, diagnostics);
            case "noReply":
                CheckKeys(step, "a noReply step", ["noReply"], diagnostics);
                if (value is YScalar nr && YamlTree.ScalarValue(nr) is true) return new NoReplyStep(span);
                diagnostics.Add(TestDiagnostics.InvalidValue, value.Span, "write 'noReply: true'");
                return null;
            case "queue":
                CheckKeys(step, "a queue step", ["queue"], diagnostics);
                return ReadQueue(value, span, diagnostics);
            case "agent":
                CheckKeys(step, "an agent step", ["agent"], diagnostics);
                return ReadAgent(value, span, diagnostics);
            case "ticket":
                CheckKeys(step, "a ticket step", ["ticket"], diagnostics);
                return ReadTicket(value, span, diagnostics);
            default:
                CheckKeys(step, "a wait step", ["wait"], diagnostics);
                return ReadDuration(value, diagnostics) is { } d ? new WaitStep(d, span) : null;
        }
    }

    static QueueStep? ReadQueue(YNode value, SourceSpan span, DiagnosticBag diagnostics)
    {
        if (value is not YMapping m)
        {
            diagnostics.Add(TestDiagnostics.InvalidValue, value.Span, "'queue' is a mapping of position, wait, agentsOnline");
            return null;
        }
        CheckKeys(m, "'queue'", ["position", "wait", "agentsOnline"], diagnostics);
        var position = m["position"] is { } p ? ReadCount(p, "'position'", 1, diagnostics) : 1;
        var agents = m["agentsOnline"] is { } a ? ReadCount(a, "'agentsOnline'", 0, diagnostics) : 1;
        var wait = m["wait"] is { } w ? ReadDuration(w, diagnostics) : TimeSpan.FromMinutes(2);
        return position is null || agents is null || wait is null ? null : new QueueStep(position.Value, wait.Value, agents.Value, span);
    }

    static int? ReadCount(YNode node, string what, int min, DiagnosticBag diagnostics)
    {
        if (node is YScalar s && YamlTree.ScalarValue(s) is long n && n >= min && n <= 100_000) return (int)n;
        diagnostics.Add(TestDiagnostics.InvalidValue, node.Span, $"{what} is a whole number, at least {min}");
        return null;
    }

    static AgentStep? ReadAgent(YNode value, SourceSpan span, DiagnosticBag diagnostics)
    {
        if (value is YScalar { IsNull: false } s && s.Value is "accept" or "resolve")
            return new AgentStep(s.Value == "accept" ? AgentAction.Accept : AgentAction.Resolve, null, null, null, [], span);
        if (value is YMapping m && m.Entries.Length == 1)
        {
            CheckKeys(m, "'agent'", ["say", "return"], diagnostics);
            if (m["say"] is { } say)
                return RequireString(say, "'say'", diagnostics) is { } text ? new AgentStep(AgentAction.Say, text, null, null, [], span) : null;
            if (m["return"] is { } ret)
            {
                if (ret is YScalar { IsNull: true }) return new AgentStep(AgentAction.Return, null, null, null, [], span);
                if (ret is not YMapping rm)
                {
                    diagnostics.Add(TestDiagnostics.InvalidValue, ret.Span, "'return' is a mapping of flow and set");
                    return null;
                }
                CheckKeys(rm, "'return'", ["flow", "set"], diagnostics);
                var flow = rm["flow"] is { } f ? RequireString(f, "'flow'", diagnostics) : null;
                var set = rm["set"] is { } sv ? ReadValues(sv, "'set'", diagnostics) : [];
                return new AgentStep(AgentAction.Return, null, flow, rm["flow"]?.Span, set, span);
            }
            return null;
        }
        diagnostics.Add(TestDiagnostics.InvalidValue, value.Span, "'agent' is accept, resolve, { say: text } or { return: { flow, set } }");
        return null;
    }

    static readonly string[] TicketKinds = ["callback", "email", "other"];

    static TicketExpectStep? ReadTicket(YNode value, SourceSpan span, DiagnosticBag diagnostics)
    {
        if (value is YScalar t && YamlTree.ScalarValue(t) is true)
            return new TicketExpectStep(null, null, null, null, null, null, null, span);
        if (value is not YMapping m)
        {
            diagnostics.Add(TestDiagnostics.InvalidValue, value.Span, "'ticket' is true or a mapping of kind, contact, time, note, number, queue");
            return null;
        }
        CheckKeys(m, "'ticket'", ["kind", "contact", "time", "note", "number", "queue"], diagnostics);
        var kind = m["kind"] is { } k ? RequireString(k, "'kind'", diagnostics) : null;
        if (kind is not null && !TicketKinds.Contains(kind))
        {
            diagnostics.Add(TestDiagnostics.InvalidValue, m["kind"]!.Span, "'kind' is callback, email or other");
            return null;
        }
        TextMatcher? Matcher(string key) => m[key] is { } n ? ReadMatcher(n, diagnostics) : null;
        var queue = m["queue"] is { } q ? RequireString(q, "'queue'", diagnostics) : null;
        return new TicketExpectStep(kind, Matcher("contact"), Matcher("time"), Matcher("note"), Matcher("number"), queue, m["queue"]?.Span, span);
    }

    static BotStep? ReadBot(YNode value, SourceSpan span, DiagnosticBag diagnostics)
    {
        // A list means several bot messages in a row; a mapping {oneOf: [...]} is one message with alternatives.
        var items = value is YSequence s ? s.Items : [value];
        if (items.IsEmpty)
        {
            diagnostics.Add(TestDiagnostics.InvalidValue, value.Span, "'bot' needs at least one expected message");
            return null;
        }
        var matchers = items.Select(i => ReadMatcher(i, diagnostics)).ToList();
        return matchers.Any(m => m is null) ? null : new BotStep([.. matchers!], span);
    }

    static TextMatcher? ReadMatcher(YNode node, DiagnosticBag diagnostics)
    {
        if (node is YMapping m)
        {
            CheckKeys(m, "an expected message", ["oneOf"], diagnostics);
            if (m["oneOf"] is YSequence options && !options.Items.IsEmpty)
            {
                var list = options.Items.Select(o => o is YMapping ? null : ReadMatcher(o, diagnostics)).ToList();
                if (list.Any(l => l is null))
                {
                    diagnostics.Add(TestDiagnostics.InvalidValue, options.Span, "'oneOf' is a list of texts");
                    return null;
                }
                return new OneOfMatcher([.. list!]);
            }
            diagnostics.Add(TestDiagnostics.InvalidValue, m.Span, "an expected message is a text, '*' wildcard, /regex/ or { oneOf: [texts] }");
            return null;
        }
        if (node is not YScalar s || s.IsNull)
        {
            diagnostics.Add(TestDiagnostics.InvalidValue, node.Span, $"an expected message is a text (got {YamlTree.Describe(node)})");
            return null;
        }
        var matcher = TextMatcher.Parse(s.Value, out var error);
        if (error is not null)
        {
            diagnostics.Add(TestDiagnostics.InvalidPattern, s.Span, s.Value, error);
            return null;
        }
        return matcher;
    }

    static ExpectStep? ReadExpect(YNode value, SourceSpan span, DiagnosticBag diagnostics)
    {
        if (value is not YMapping m || m.Entries.IsEmpty)
        {
            diagnostics.Add(TestDiagnostics.InvalidValue, value.Span, "'expect' is a mapping of stage, flow, vars, intent, confidence, filled, cancelled");
            return null;
        }
        CheckKeys(m, "'expect'", ["stage", "flow", "vars", "intent", "confidence", "filled", "cancelled"], diagnostics);
        var stage = m["stage"] is { } st ? RequireString(st, "'stage'", diagnostics) : null;
        string? flow = null;
        var checksFlow = m["flow"] is not null;
        if (m["flow"] is YScalar { IsNull: false } f) flow = f.Value;
        else if (m["flow"] is { } other && other is not YScalar { IsNull: true })
            diagnostics.Add(TestDiagnostics.InvalidValue, other.Span, "'flow' is a flow name, or null for no active flow");
        var intent = m["intent"] is { } i ? RequireString(i, "'intent'", diagnostics) : null;
        double? confidence = null;
        if (m["confidence"] is { } c)
        {
            if (c is YScalar cs && YamlTree.ScalarValue(cs) is long or double && Convert.ToDouble(YamlTree.ScalarValue(cs), CultureInfo.InvariantCulture) is var x && x is >= 0 and <= 1)
                confidence = x;
            else diagnostics.Add(TestDiagnostics.InvalidValue, c.Span, "'confidence' is the minimum confidence, a number from 0 to 1");
        }
        var vars = m["vars"] is { } v ? ReadValues(v, "'vars'", diagnostics) : [];
        bool? cancelled = null;
        if (m["cancelled"] is { } cn)
        {
            if (cn is YScalar cc && YamlTree.ScalarValue(cc) is bool b) cancelled = b;
            else diagnostics.Add(TestDiagnostics.InvalidValue, cn.Span, "'cancelled' is true or false");
        }
        return new ExpectStep(stage, m["stage"]?.Span, checksFlow, flow, m["flow"]?.Span, vars, intent, m["intent"]?.Span, confidence, span)
        {
            Filled = m["filled"] is { } fl ? ReadFilled(fl, diagnostics) : [],
            Cancelled = cancelled,
        };
    }

    static readonly string[] SlotSources = ["answer", "filled", "correction"];

    /// <summary><c>filled: { var: value }</c> or <c>filled: { var: { value, from, text, how } }</c>.</summary>
    static ImmutableArray<FillExpectation> ReadFilled(YNode node, DiagnosticBag diagnostics)
    {
        if (node is not YMapping m)
        {
            diagnostics.Add(TestDiagnostics.InvalidFilled, node.Span, "'filled' is a mapping of variable → value, or → { value, from, text, how }");
            return [];
        }
        var result = ImmutableArray.CreateBuilder<FillExpectation>(m.Entries.Length);
        foreach (var (key, value) in m.Entries)
        {
            if (value is not YMapping detail)
            {
                result.Add(new FillExpectation(key.Value, value, null, null, null, key.Span));
                continue;
            }
            CheckKeys(detail, $"'filled.{key.Value}'", ["value", "from", "text", "how"], diagnostics);
            int? from = null;
            if (detail["from"] is { } f)
            {
                if (f is YScalar fs && YamlTree.ScalarValue(fs) is long n && n is >= 1 and <= 1000) from = (int)n;
                else diagnostics.Add(TestDiagnostics.InvalidFilled, f.Span, "'from' is the number of the test's user message the value came from (1 = the first)");
            }
            Engine.SlotSource? how = null;
            if (detail["how"] is { } h)
            {
                if (h is YScalar hs && Array.IndexOf(SlotSources, hs.Value) is var i and >= 0) how = (Engine.SlotSource)i;
                else diagnostics.Add(TestDiagnostics.InvalidFilled, h.Span, "'how' is one of: answer, filled, correction");
            }
            var text = detail["text"] is { } t ? ReadMatcher(t, diagnostics) : null;
            result.Add(new FillExpectation(key.Value, detail["value"], from, text, how, key.Span));
        }
        return result.ToImmutable();
    }

    static HandoffExpectStep? ReadHandoff(YNode value, SourceSpan span, DiagnosticBag diagnostics)
    {
        if (value is YScalar s && YamlTree.ScalarValue(s) is true)
            return new HandoffExpectStep(null, null, false, null, null, null, null, [], null, span);
        if (value is YScalar queueOnly && !queueOnly.IsNull && YamlTree.ScalarValue(queueOnly) is string q)
            return new HandoffExpectStep(q, queueOnly.Span, false, null, null, null, null, [], null, span);
        if (value is not YMapping m)
        {
            diagnostics.Add(TestDiagnostics.InvalidValue, value.Span, "'handoff' is true, a queue name, or a mapping of queue, rule, offer, shared, withinHours");
            return null;
        }
        CheckKeys(m, "'handoff'", ["queue", "rule", "offer", "shared", "withinHours", "reason", "stage", "priority", "unattended", "conditionValues"], diagnostics);
        var queue = m["queue"] is { } qn ? RequireString(qn, "'queue'", diagnostics) : null;
        var rule = m["rule"] is YScalar { IsNull: true } ? null : m["rule"] is { } rn ? RequireString(rn, "'rule'", diagnostics) : null;
        var reason = m["reason"] is { } reasonNode ? ReadMatcher(reasonNode, diagnostics) : null;
        ImmutableArray<string>? offer = null;
        if (m["offer"] is { } o)
        {
            if (o is YSequence os && os.Items.All(x => x is YScalar { IsNull: false }))
                offer = [.. os.Items.Cast<YScalar>().Select(x => x.Value)];
            else diagnostics.Add(TestDiagnostics.InvalidValue, o.Span, "'offer' is a list of channels (chat, phone, callback, email)");
        }
        bool? within = null;
        if (m["withinHours"] is { } w)
        {
            if (w is YScalar ws && YamlTree.ScalarValue(ws) is bool b) within = b;
            else diagnostics.Add(TestDiagnostics.InvalidValue, w.Span, "'withinHours' is true or false");
        }
        var shared = m["shared"] is { } sh ? ReadValues(sh, "'shared'", diagnostics) : [];
        int? priority = null;
        if (m["priority"] is { } pn)
        {
            if (pn is YScalar ps && YamlTree.ScalarValue(ps) is long pv && pv is >= -100 and <= 100) priority = (int)pv;
            else diagnostics.Add(TestDiagnostics.InvalidValue, pn.Span, "'priority' is a whole number from -100 to 100");
        }
        bool? unattended = null;
        if (m["unattended"] is { } un)
        {
            if (un is YScalar us && YamlTree.ScalarValue(us) is bool ub) unattended = ub;
            else diagnostics.Add(TestDiagnostics.InvalidValue, un.Span, "'unattended' is true or false");
        }
        return new HandoffExpectStep(queue, m["queue"]?.Span, m["rule"] is not null, rule, m["rule"]?.Span, reason, offer, shared, within, span)
        {
            Stage = m["stage"] is { } st ? RequireString(st, "'stage'", diagnostics) : null,
            StageSpan = m["stage"]?.Span,
            Priority = priority,
            Unattended = unattended,
            ConditionValues = m["conditionValues"] is { } cv ? ReadValues(cv, "'conditionValues'", diagnostics) : [],
        };
    }

    static ImmutableArray<ValueExpectation> ReadValues(YNode node, string where, DiagnosticBag diagnostics)
    {
        if (node is not YMapping m)
        {
            diagnostics.Add(TestDiagnostics.InvalidValue, node.Span, $"{where} is a mapping of name → expected value");
            return [];
        }
        return [.. m.Entries.Select(e => new ValueExpectation(e.Key.Value, e.Value, e.Key.Span))];
    }

    internal static string? RequireString(YNode node, string what, DiagnosticBag diagnostics)
    {
        if (node is YScalar { IsNull: false } s) return s.Value;
        diagnostics.Add(TestDiagnostics.InvalidValue, node.Span, $"{what} is a text (got {YamlTree.Describe(node)})");
        return null;
    }

    internal static void CheckKeys(YMapping map, string where, string[] allowed, DiagnosticBag diagnostics)
    {
        foreach (var e in map.Entries)
            if (!allowed.Contains(e.Key.Value))
                diagnostics.Add(TestDiagnostics.UnknownKey, e.Key.Span, e.Key.Value, where, string.Join(", ", allowed));
    }
}
