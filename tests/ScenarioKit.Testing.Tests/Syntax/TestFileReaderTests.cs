using CsCheck;
using ScenarioKit.Testing.Definitions;
using ScenarioKit.Testing.Syntax;
using ScenarioKit.Testing.Tests.Support;

namespace ScenarioKit.Testing.Tests.Syntax;

public class TestFileReaderTests
{
    static TestSuite ReadShop()
    {
        var (suite, diagnostics) = TestFileReader.Read(Paths.Fixture("shop", "tests", "shop.test.yaml"));
        Assert.Empty(diagnostics);
        return suite!;
    }

    [Fact]
    public void Every_step_keeps_its_line_and_column()
    {
        var test = ReadShop().Tests[0];
        Assert.Equal("注文状況を確認できる", test.Name);
        var user = Assert.IsType<UserStep>(test.Steps[0]);
        Assert.Equal("荷物が届かないんだけど", user.Text);
        Assert.Equal((9, 9), (user.Span.Line, user.Span.Column));
        Assert.EndsWith("shop.test.yaml", user.Span.File, StringComparison.Ordinal);
        var expect = Assert.IsType<ExpectStep>(test.Steps[2]);
        Assert.Equal(("order_status", 0.9, true, "order_status"), (expect.Intent, expect.MinConfidence, expect.ChecksFlow, expect.Flow));
        Assert.Equal(11, expect.Span.Line);
        Assert.Equal(16, test.Steps[^1].Span.Line);
    }

    [Fact]
    public void Included_fixture_sets_clock_and_mocks_and_a_test_overrides_them()
    {
        var suite = ReadShop();
        var first = suite.Tests[0];
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.FromHours(9)), first.Clock);
        var mock = Assert.Single(first.Mocks);
        Assert.Equal("発送済み", mock.Calls[0].Returns!.Value.GetString());
        Assert.EndsWith("common.yaml", mock.Span.File, StringComparison.Ordinal);

        var failing = suite.Tests[1];
        Assert.Equal("HTTP 503", Assert.Single(failing.Mocks).Calls[0].Fails);
        var outOfHours = suite.Tests.Single(t => t.Name == "営業時間外は折り返しを提案する");
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 20, 0, 0, TimeSpan.FromHours(9)), outOfHours.Clock);
    }

    [Fact]
    public void Cases_give_one_test_per_row_with_placeholders_replaced()
    {
        var greetings = ReadShop().Tests.Where(t => t.Name.StartsWith("挨拶", StringComparison.Ordinal)).ToList();
        Assert.Equal(["挨拶: こんにちは", "挨拶: hello"], greetings.Select(t => t.Name));
        Assert.Equal(["こんにちは", "hello"], greetings.Select(t => Assert.IsType<UserStep>(t.Steps[0]).Text));
        // The substituted step still points at the test body's line.
        Assert.Equal(greetings[0].Steps[0].Span.Line, greetings[1].Steps[0].Span.Line);
    }

    [Fact]
    public void Bot_lists_are_several_messages_and_oneOf_is_alternatives()
    {
        var suite = ReadShop();
        var (failing, diagnostics) = TestFileReader.Read(Paths.Fixture("Failing", "failing.yaml"));
        Assert.Empty(diagnostics);
        var bot = Assert.IsType<BotStep>(failing!.Tests.Single(t => t.Name == "more messages expected than sent").Steps[1]);
        Assert.Equal(2, bot.Messages.Length);
        var greeting = Assert.IsType<BotStep>(suite.Tests.First(t => t.Name.StartsWith("挨拶", StringComparison.Ordinal)).Steps[1]);
        Assert.IsType<OneOfMatcher>(Assert.Single(greeting.Messages));
    }

    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("a.test.yaml", "scenario: s.yaml\ntests:\n  - name: t\n    steps:\n      - user: hi\n");
        var (suite, diagnostics) = TestFileReader.Read(path);
        Assert.Empty(diagnostics);
        var test = Assert.Single(suite!.Tests);
        Assert.Equal(TestFileReader.DefaultClock, test.Clock);
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero), test.Clock);
        Assert.Equal("test", test.Channel);
        Assert.False(test.Welcome);
    }

    [Fact]
    public void Nested_includes_run_their_setup_first_in_order_and_later_definitions_win()
    {
        using var dir = new TempDirectory();
        dir.Write("fixtures/base.yaml", "given: { a: 1, b: 1 }\nsetup:\n  - event: page_view\n");
        dir.Write("fixtures/cart.yaml", "include: base.yaml\ngiven: { b: 2 }\nsetup:\n  - event: cart_updated\n");
        var path = dir.Write("t.test.yaml",
            "scenario: s.yaml\ninclude: fixtures/cart.yaml\nsetup:\n  - user: file setup\ntests:\n  - name: t\n    given: { c: 3 }\n    steps:\n      - user: own step\n");
        var (suite, diagnostics) = TestFileReader.Read(path);
        Assert.Empty(diagnostics);
        var test = Assert.Single(suite!.Tests);
        Assert.Equal(["event: page_view", "event: cart_updated", "user: file setup", "user: own step"], test.Steps.Select(s => s.Describe()));
        Assert.Equal(["base.yaml", "cart.yaml", "t.test.yaml", "t.test.yaml"], test.Steps.Select(s => Path.GetFileName(s.Span.File)));
        Assert.Equal(["a=1", "b=2", "c=3"], test.Given.Select(g => $"{g.Variable}={((YScalar)g.Value).Value}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_fixture_only_file_has_nothing_to_run_and_no_error()
    {
        var (suite, diagnostics) = TestFileReader.Read(Paths.Fixture("shop", "tests", "common.yaml"));
        Assert.Empty(diagnostics);
        Assert.Empty(suite!.Tests);
    }

    [Fact]
    public void A_literal_placeholder_is_written_with_a_double_dollar()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("a.test.yaml", "scenario: s.yaml\ntests:\n  - name: t ${n}\n    cases: [{ n: 1 }]\n    steps:\n      - bot: \"cost $${price} for ${n}\"\n");
        var (suite, diagnostics) = TestFileReader.Read(path);
        Assert.Empty(diagnostics);
        var bot = Assert.IsType<BotStep>(Assert.Single(suite!.Tests).Steps[0]);
        Assert.Equal("cost ${price} for 1", bot.Messages[0].ToString());
    }

    static readonly string[] Bases =
    [
        File.ReadAllText(Paths.Fixture("shop", "tests", "shop.test.yaml")),
        File.ReadAllText(Paths.Fixture("Failing", "failing.yaml")),
        File.ReadAllText(Paths.Fixture("Invalid", "shape.yaml")),
        File.ReadAllText(Paths.Fixture("Invalid", "unknown-names.yaml")),
    ];

    /// <summary>One edit of a real test file: delete, duplicate, swap or re-indent a line, cut the text, insert a YAML-significant character.</summary>
    static string Mutate(string text, int kind, int position, int arg)
    {
        var lines = text.Split('\n').ToList();
        var i = position % lines.Count;
        const string Significant = "\t :-[]{}'\"&*!|>%@`#,?${}日";
        switch (kind)
        {
            case 0: lines.RemoveAt(i); break;
            case 1: lines.Insert(i, lines[arg % lines.Count]); break;
            case 2: (lines[i], lines[arg % lines.Count]) = (lines[arg % lines.Count], lines[i]); break;
            case 3: lines[i] = new string(' ', arg % 7) + lines[i].TrimStart(); break;
            case 4: return text[..(position % (text.Length + 1))];
            default:
            {
                var at = arg % (lines[i].Length + 1);
                lines[i] = lines[i][..at] + Significant[position % Significant.Length] + lines[i][at..];
                break;
            }
        }
        return string.Join('\n', lines);
    }

    [Fact]
    public void Mutated_test_files_give_diagnostics_never_exceptions_with_spans_in_the_file_and_the_same_result_twice()
    {
        using var dir = new TempDirectory();
        File.Copy(Paths.Fixture("shop", "tests", "common.yaml"), dir.Combine("common.yaml"));
        var gen = Gen.Select(Gen.Int[0, Bases.Length - 1], Gen.Int[0, 6], Gen.Int[0, 100_000], Gen.Int[0, 100_000]);
        var n = 0;
        gen.Sample((b, kind, position, arg) =>
        {
            var text = Mutate(Bases[b], kind, position, arg);
            var path = dir.Write($"m{n++}.test.yaml", text);
            var first = TestFileReader.Read(path);
            var second = TestFileReader.Read(path);
            Assert.Equal(first.Diagnostics.Select(d => d.ToString()), second.Diagnostics.Select(d => d.ToString()));
            Assert.Equal(first.Suite?.Tests.Select(t => t.Name), second.Suite?.Tests.Select(t => t.Name));
            var lineCount = text.Split('\n').Length;
            foreach (var d in first.Diagnostics.Where(d => d.Span.File.EndsWith(Path.GetFileName(path), StringComparison.Ordinal)))
            {
                Assert.True(d.Span.Line >= 1 && d.Span.Line <= lineCount, $"{d} (lines: {lineCount})\n{text}");
                Assert.True(d.Span.Column >= 1, d.ToString());
            }
        }, iter: 300, threads: 1, print: t => $"base {t.Item1}, mutation {t.Item2} at {t.Item3} with {t.Item4}");
    }

    [Fact]
    public void Random_text_never_throws()
    {
        using var dir = new TempDirectory();
        var n = 0;
        Gen.String[Gen.Char["\t\n :-[]{}'\"&*!|>%@`#,?ab01日本${}<"], 0, 300].Sample(text =>
        {
            var path = dir.Write($"r{n++}.test.yaml", "scenario: s.yaml\n" + text);
            var (_, diagnostics) = TestFileReader.Read(path);
            Assert.All(diagnostics, d => Assert.True(d.Span.Line >= 1 && d.Span.Column >= 1, d.ToString()));
        }, iter: 400, threads: 1);
    }
}
