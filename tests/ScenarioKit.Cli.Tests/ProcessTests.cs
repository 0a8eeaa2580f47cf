using System.Diagnostics;
using System.Net.Http;
using ScenarioKit.Cli.Tests.Support;

namespace ScenarioKit.Cli.Tests;

/// <summary>The built tool as a real process: pipes, exit codes, encodings, a server on a free loopback port.</summary>
public sealed partial class ProcessTests
{
    const string Escape = "\u001b[";

    [Fact]
    public async Task The_readme_chat_example_runs_over_a_pipe()
    {
        var run = await CliProcess.RunAsync("hello\nwhere is my order\n12345678\n", null, "chat", "scenarios/reference-support");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        var lines = run.Stdout.ReplaceLineEndings("\n").Split('\n');
        Assert.Contains("bot: Hi! I'm the support assistant. What can I help you with?", lines);
        Assert.Contains("bot: Sure. Please type your 8-digit order number.", lines);
        Assert.Contains("bot: Order 12345678: shipped on 2 June, arriving 5 June.", lines);
        Assert.DoesNotContain(Escape, run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Japanese_goes_through_stdin_and_stdout_as_utf8()
    {
        using var temp = new TempDirectory();
        var folder = await Scenarios.ScaffoldAsync(temp, "ja-JP");

        var run = await CliProcess.RunAsync("荷物が届かないんだけど\n１２３４５６７８\n", null, "chat", folder);

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains("you: 荷物が届かないんだけど\n", run.Stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("bot: ご注文 12345678 は「発送済み（明日お届け予定）」です。", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_errors_exit_1_without_colour_under_NO_COLOR()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("broken.yaml");
        File.WriteAllText(path, Scenarios.Broken);

        var run = await CliProcess.RunAsync("", new Dictionary<string, string?> { ["NO_COLOR"] = "1", ["TERM"] = "xterm-256color" }, "validate", path);

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("error SK3002", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Escape, run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_errors_exit_2_and_version_exits_0()
    {
        var usage = await CliProcess.RunAsync("", null, "validate", "no/such/folder");
        var version = await CliProcess.RunAsync("", null, "--version");

        Assert.Equal(ExitCodes.Usage, usage.ExitCode);
        Assert.Contains("no/such/folder does not exist", usage.Stderr, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, version.ExitCode);
        Assert.StartsWith("0.1.0", version.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_on_a_port_another_program_holds_exits_1_with_one_line_and_no_stack_trace()
    {
        using var temp = new TempDirectory();
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var url = $"http://127.0.0.1:{((System.Net.IPEndPoint)holder.LocalEndpoint).Port}";

        var run = await CliProcess.RunAsync("", null, "serve", "scenarios/reference-support", "--urls", url, "--db", temp.Combine("state.db"));

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        var output = run.Stdout + run.Stderr;
        Assert.Contains($"Failed to bind to address {url}: address already in use.", output, StringComparison.Ordinal);
        // The host's own report of the failed start (a stack trace) and of the services it stopped are held back.
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("BackgroundService", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Listening", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_appsettings_json_that_is_not_json_is_named_with_its_line_and_what_is_wrong()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("appsettings.json"), "{\n  \"ScenarioKit\": {\n    \"DatabasePath\": \"会話.db\"\n    \"AllowRemote\": true\n  }\n}\n");
        var info = CliProcess.StartInfo(null, "agents", "list");
        info.WorkingDirectory = temp.Path;

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Failed, process.ExitCode);
        var error = await stderr;
        Assert.Contains($"Failed to load configuration from file '{temp.Combine("appsettings.json")}' (line 4, byte 5):", error, StringComparison.Ordinal);
        Assert.Contains("is invalid after a value", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_listens_on_a_free_loopback_port_and_answers_health_checks()
    {
        using var temp = new TempDirectory();
        var info = CliProcess.StartInfo(null, "serve", "scenarios/reference-support", "--urls", "http://127.0.0.1:0", "--db", temp.Combine("state.db"));
        using var process = Process.Start(info)!;
        try
        {
            var url = await CliProcess.ReadListeningUrlAsync(process);
            using var http = new HttpClient();
            using var response = await http.GetAsync(new Uri(new Uri(url), "healthz"), TestContext.Current.CancellationToken);

            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} from {url}healthz");
            Assert.True(File.Exists(temp.Combine("state.db")));

            // The scenario named on the command line answers over the Bot Framework protocol.
            const string activity = """
                {"type":"message","id":"a1","text":"hello","from":{"id":"u1"},"recipient":{"id":"bot"},
                 "conversation":{"id":"cli-test"},"channelId":"test","serviceUrl":"http://127.0.0.1:9","deliveryMode":"expectReplies"}
                """;
            using var content = new StringContent(activity, System.Text.Encoding.UTF8, "application/json");
            using var reply = await http.PostAsync(new Uri(new Uri(url), "api/messages"), content, TestContext.Current.CancellationToken);
            using var body = System.Text.Json.JsonDocument.Parse(await reply.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            var first = body.RootElement.GetProperty("activities")[0];
            Assert.Equal("Hi! I'm the support assistant. What can I help you with?", first.GetProperty("text").GetString());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }
}
