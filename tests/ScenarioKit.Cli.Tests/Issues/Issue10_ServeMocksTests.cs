using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ScenarioKit.Cli.Tests.Support;

namespace ScenarioKit.Cli.Tests.Issues;

/// <summary>
/// Issue 10 item 7: <c>serve</c> takes <c>--mock action=value</c> like <c>chat</c> and <c>--mocks file</c> in the
/// test runner's format, so the README's main command shows the Japanese sample's happy path.
/// </summary>
public sealed class Issue10_ServeMocksTests
{
    static string Retail => RepoPaths.Combine("scenarios", "retail-support");

    static string DemoMocks => RepoPaths.Combine("scenarios", "retail-support", "demo.mocks.yaml");

    [Fact]
    public async Task The_readme_main_command_finds_an_order_and_says_actions_are_mocked()
    {
        using var temp = new TempDirectory();
        // The README's command, plus a free port and a temporary database.
        var info = CliProcess.StartInfo(null, "serve", "scenarios/retail-support", "--mocks", "scenarios/retail-support/demo.mocks.yaml",
            "--urls", "http://127.0.0.1:0", "--db", temp.Combine("state.db"));
        using var process = Process.Start(info)!;
        try
        {
            var url = new Uri(await CliProcess.ReadListeningUrlAsync(process));
            var mockedLine = await process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken);
            using var http = new HttpClient();
            await SayAsync(http, url, 1, "注文した商品はいつ届きますか");
            var replies = await SayAsync(http, url, 2, "12345678");

            Assert.Equal("Mocked actions (answered without calling them): lookupOrder, registerReturn", mockedLine);
            Assert.Contains("ご注文 12345678 は「発送済み（明日お届け予定）」です。", replies);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    static async Task<List<string>> SayAsync(HttpClient http, Uri url, int turn, string text)
    {
        var activity = JsonSerializer.Serialize(new
        {
            type = "message", id = $"a{turn}", text, locale = "ja-JP", channelId = "test", serviceUrl = "http://127.0.0.1:9",
            from = new { id = "u1" }, recipient = new { id = "bot" }, conversation = new { id = "issue10-readme" }, deliveryMode = "expectReplies",
        });
        using var content = new StringContent(activity, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri(url, "api/messages"), content, TestContext.Current.CancellationToken);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return [.. body.RootElement.GetProperty("activities").EnumerateArray().Select(a => a.TryGetProperty("text", out var t) ? t.GetString() ?? "" : "")];
    }

    [Fact]
    public async Task A_missing_mocks_file_is_a_usage_error()
    {
        using var temp = new TempDirectory();

        var run = await CliHarness.RunAsync("serve", Retail, "--mocks", temp.Combine("none.mocks.yaml"), "--db", temp.Combine("x.db"));

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("none.mocks.yaml does not exist", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mocks_file_with_errors_is_reported_in_the_test_runners_words()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("broken.mocks.yaml");
        File.WriteAllText(path, "mocks:\n  lookupOrder: { returns: 発送済み, fails: HTTP 503 }\ntests: []\n");

        var run = await CliHarness.RunAsync("serve", Retail, "--mocks", path, "--urls", "http://127.0.0.1:0", "--db", temp.Combine("x.db"));

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("broken.mocks.yaml(2,16): error SK5005", run.Error, StringComparison.Ordinal);
        Assert.Contains("(3,1): error SK5004", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Listening", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lookupOrdr=shipped", ExitCodes.Failed, "'lookupOrdr'")]
    [InlineData("lookupOrder", ExitCodes.Usage, "is not action=value")]
    [InlineData("lookupOrder={bad", ExitCodes.Usage, "not valid JSON")]
    public async Task A_bad_mock_value_stops_serve_before_it_listens(string mock, int exitCode, string message)
    {
        using var temp = new TempDirectory();

        var run = await CliHarness.RunAsync("serve", Retail, "--mock", mock, "--urls", "http://127.0.0.1:0", "--db", temp.Combine("x.db"));

        Assert.Equal(exitCode, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Listening", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_takes_the_same_mocks_file_and_a_mock_value_wins_over_it()
    {
        var fromFile = await CliHarness.RunWithInputAsync("注文した商品はいつ届きますか\n12345678\n", "chat", Retail, "--mocks", DemoMocks);
        var overridden = await CliHarness.RunWithInputAsync("注文した商品はいつ届きますか\n12345678\n", "chat", Retail, "--mocks", DemoMocks, "--mock", "lookupOrder=配達完了");

        Assert.True(fromFile.ExitCode == ExitCodes.Success, fromFile.ToString());
        Assert.Contains("bot: ご注文 12345678 は「発送済み（明日お届け予定）」です。", fromFile.Out, StringComparison.Ordinal);
        Assert.Contains("bot: ご注文 12345678 は「配達完了」です。", overridden.Out, StringComparison.Ordinal);
    }
}
