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
        var bot = Assert.IsType<BotStep>(suite.Tests[1].Steps[3]);
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

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(5);
        var pieces = new[] { "tests:", "- ", "name: ", "steps:", "user: ", "bot: ", "{", "}", "[", "]", "\"", "'", ":", "\n", "  ", "*a", "&a ", "<<: ", "${x}", "cases:", "expect:", "handoff:", "é", "日本" };
        using var dir = new TempDirectory();
        for (var i = 0; i < 300; i++)
        {
            var text = "scenario: s.yaml\n" + string.Concat(Enumerable.Range(0, random.Next(1, 40)).Select(_ => pieces[random.Next(pieces.Length)]));
            var path = dir.Write($"r{i}.test.yaml", text);
            var (_, diagnostics) = TestFileReader.Read(path);
            Assert.All(diagnostics, d => Assert.True(d.Span.Line >= 1, $"case {i}: {d.Message}\n{text}"));
        }
    }
}
