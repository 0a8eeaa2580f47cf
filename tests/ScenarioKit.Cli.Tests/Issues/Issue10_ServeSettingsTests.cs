using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ScenarioKit.Cli.Tests.Support;

namespace ScenarioKit.Cli.Tests.Issues;

/// <summary>
/// Issue 10 item 9: README and docs/server.md say settings pass through as <c>--Section:Key=value</c>, but
/// <c>serve</c> took <c>--ScenarioKit:DirectLineSecret=abc</c> for a scenario path ("does not exist").
/// </summary>
public sealed class Issue10_ServeSettingsTests
{
    const string Secret = "issue10-secret-0123456789abcdef";

    public static TheoryData<string[]> DocumentedForms() => new()
    {
        new[] { "--ScenarioKit:DirectLineSecret=" + Secret },
        new[] { "--ScenarioKit:DirectLineSecret", Secret },
        new[] { "--MicrosoftAppId=app-id" },
        new[] { "--MicrosoftAppId", "app-id" },
        new[] { "--MicrosoftAppId=app-id", "--MicrosoftAppPassword=pw" },
        new[] { "--MicrosoftAppPassword", "pw", "--MicrosoftAppId", "app-id" },
        new[] { "--Logging:LogLevel:Default=Warning" },
    };

    [Theory]
    [MemberData(nameof(DocumentedForms))]
    public async Task Each_documented_setting_form_is_a_setting_not_a_source(string[] setting)
    {
        using var temp = new TempDirectory();
        var missing = temp.Combine("nope");

        // The sources are checked after settings are picked out: only the real source is reported missing.
        var before = await CliHarness.RunAsync(["serve", .. setting, missing]);
        var after = await CliHarness.RunAsync(["serve", missing, .. setting]);

        foreach (var run in new[] { before, after })
        {
            Assert.Equal(ExitCodes.Usage, run.ExitCode);
            Assert.Contains($"{missing} does not exist", run.Error, StringComparison.Ordinal);
            Assert.DoesNotContain(setting[0] + " does not exist", run.Error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("--ulrs", "http://127.0.0.1:0")]
    [InlineData("--ScenarioKit:DirectLineSecret", null)]
    public async Task An_unknown_option_or_a_setting_without_value_is_a_usage_error(string token, string? value)
    {
        using var temp = new TempDirectory();
        string[] args = value is null ? ["serve", "scenarios/reference-support", token] : ["serve", "scenarios/reference-support", token, value];

        var run = await CliHarness.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains(token, run.Error, StringComparison.Ordinal);
    }

    public static TheoryData<string, string[], string?> SecretForms() => new()
    {
        { "equals", ["--ScenarioKit:DirectLineSecret=" + Secret], null },
        { "space", ["--ScenarioKit:DirectLineSecret", Secret], null },
        { "environment", [], Secret },
    };

    [Theory]
    [MemberData(nameof(SecretForms))]
    public async Task A_secret_given_on_the_command_line_or_in_the_environment_guards_Direct_Line(string form, string[] setting, string? environment)
    {
        Assert.NotNull(form);
        await WithServerAsync(setting, environment is null ? null : new Dictionary<string, string?> { ["ScenarioKit__DirectLineSecret"] = environment }, async (http, url) =>
        {
            using var anonymous = await http.PostAsync(new Uri(url, "v3/directline/conversations"), null, TestContext.Current.CancellationToken);
            using var devBearer = await SendAsync(http, new Uri(url, "v3/directline/conversations"), "Bearer undefined");
            using var withSecret = await SendAsync(http, new Uri(url, "v3/directline/conversations"), "Bearer " + Secret);

            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, devBearer.StatusCode);
            Assert.Equal(HttpStatusCode.Created, withSecret.StatusCode);
        });
    }

    [Theory]
    [InlineData("equals")]
    [InlineData("space")]
    public async Task An_app_id_given_on_the_command_line_requires_channel_tokens(string form)
    {
        string[] setting = form == "equals" ? ["--MicrosoftAppId=issue10-app"] : ["--MicrosoftAppId", "issue10-app"];
        await WithServerAsync(setting, null, async (http, url) =>
        {
            using var content = new StringContent("""
                {"type":"message","id":"a1","text":"hello","from":{"id":"u1"},"recipient":{"id":"bot"},
                 "conversation":{"id":"issue10"},"channelId":"test","serviceUrl":"http://127.0.0.1:9","deliveryMode":"expectReplies"}
                """, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(new Uri(url, "api/messages"), content, TestContext.Current.CancellationToken);

            // Without an app id the same loopback request gets the welcome (ProcessTests).
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        });
    }

    static async Task<HttpResponseMessage> SendAsync(HttpClient http, Uri uri, string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri);
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        return await http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    static async Task WithServerAsync(string[] setting, IReadOnlyDictionary<string, string?>? environment, Func<HttpClient, Uri, Task> check)
    {
        using var temp = new TempDirectory();
        var info = CliProcess.StartInfo(environment, ["serve", "scenarios/reference-support", .. setting, "--urls", "http://127.0.0.1:0", "--db", temp.Combine("state.db")]);
        using var process = Process.Start(info)!;
        try
        {
            var url = new Uri(await CliProcess.ReadListeningUrlAsync(process));
            using var http = new HttpClient();
            await check(http, url);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }
}
