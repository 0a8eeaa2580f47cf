using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using ScenarioKit.Server.Tests.Infrastructure;

namespace ScenarioKit.Server.Tests.Endpoints;

/// <summary>§3 with an app id: channel JWTs are validated against OpenID metadata served by a local issuer.</summary>
public sealed class AuthenticationTests
{
    internal const string AppId = "11111111-2222-3333-4444-555555555555";

    internal static string Message(string serviceUrl, string conversation = "auth-1") => JsonSerializer.Serialize(new
    {
        type = "message",
        id = "act-" + conversation,
        channelId = "webchat",
        serviceUrl,
        from = new { id = "u1", role = "user" },
        recipient = new { id = AppId, role = "bot" },
        conversation = new { id = conversation },
        text = "hello",
    });

    static Task<TestServer> StartAsync(LocalIdentityProvider idp, bool endorsements = false) => TestServer.StartAsync(configure: o =>
    {
        o.AppId = AppId;
        o.AppPassword = "app-password";
        o.OpenIdMetadataUrl = idp.MetadataUrl;
        o.RequireHttpsMetadata = false;
        o.TokenEndpoint = idp.TokenEndpoint;
        o.RequireEndorsements = endorsements;
    });

    [Fact]
    public async Task A_valid_token_is_accepted_and_replies_carry_the_bots_own_token()
    {
        await using var idp = await LocalIdentityProvider.StartAsync();
        await using var channel = await LocalChannel.StartAsync();
        await using var server = await StartAsync(idp);
        using var response = await server.PostJsonAsync("/api/messages", Message(channel.ServiceUrl), "Bearer " + idp.CreateToken(AppId, channel.ServiceUrl));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (path, authorization, reply) = Assert.Single(channel.Received);
        Assert.Equal("/v3/conversations/auth-1/activities/act-auth-1", path);
        Assert.Equal("Bearer " + LocalIdentityProvider.IssuedAccessToken, authorization);
        Assert.Equal(ReferenceBot.Greeting, reply.GetProperty("text").GetString());
        Assert.Equal($"client_credentials|{AppId}|app-password|https://api.botframework.com/.default", Assert.Single(idp.TokenRequests));
    }

    public static TheoryData<string, string> RejectedTokens() => new()
    {
        { "missing", "Authorization header is missing" },
        { "not-a-jwt", "not a JWT" },
        { "expired", "expired" },
        { "not-yet-valid", "expired or is not yet valid" },
        { "wrong-signature", "signature" },
        { "wrong-audience", "audience" },
        { "wrong-issuer", "issuer" },
        { "serviceurl-mismatch", "serviceurl" },
        { "no-serviceurl", "serviceurl" },
    };

    [Theory]
    [MemberData(nameof(RejectedTokens))]
    public async Task Bad_tokens_are_401_and_nothing_is_run(string kind, string reason)
    {
        await using var idp = await LocalIdentityProvider.StartAsync();
        await using var channel = await LocalChannel.StartAsync();
        await using var server = await StartAsync(idp);
        var now = DateTime.UtcNow;
        var url = channel.ServiceUrl;
        string? header = kind switch
        {
            "missing" => null,
            "not-a-jwt" => "Bearer garbage",
            // Beyond the 5-minute skew in both directions.
            "expired" => "Bearer " + idp.CreateToken(AppId, url, expires: now.AddMinutes(-6), notBefore: now.AddMinutes(-60)),
            "not-yet-valid" => "Bearer " + idp.CreateToken(AppId, url, notBefore: now.AddMinutes(6), expires: now.AddMinutes(60)),
            "wrong-signature" => "Bearer " + idp.CreateToken(AppId, url, key: new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-key-1" }),
            "wrong-audience" => "Bearer " + idp.CreateToken("someone-else", url),
            "wrong-issuer" => "Bearer " + idp.CreateToken(AppId, url, issuer: "https://evil.example"),
            "serviceurl-mismatch" => "Bearer " + idp.CreateToken(AppId, "https://elsewhere.example/"),
            "no-serviceurl" => "Bearer " + idp.CreateToken(AppId, null),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        using var response = await server.PostJsonAsync("/api/messages", Message(url), header);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(reason, JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(channel.Received);
        Assert.Null(await server.Service<ScenarioKit.Storage.IConversationStore>().GetAsync("channel/webchat/auth-1", CancellationToken.None));
    }

    [Fact]
    public async Task Small_clock_skew_is_tolerated()
    {
        await using var idp = await LocalIdentityProvider.StartAsync();
        await using var channel = await LocalChannel.StartAsync();
        await using var server = await StartAsync(idp);
        var now = DateTime.UtcNow;
        var token = idp.CreateToken(AppId, channel.ServiceUrl, expires: now.AddMinutes(-3), notBefore: now.AddMinutes(-60));
        using var response = await server.PostJsonAsync("/api/messages", Message(channel.ServiceUrl), "Bearer " + token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Endorsements_when_required_must_name_the_channel()
    {
        await using var idp = await LocalIdentityProvider.StartAsync();
        await using var channel = await LocalChannel.StartAsync();
        await using var server = await StartAsync(idp, endorsements: true);
        var token = "Bearer " + idp.CreateToken(AppId, channel.ServiceUrl);
        using (var ok = await server.PostJsonAsync("/api/messages", Message(channel.ServiceUrl), token))
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var skype = Message(channel.ServiceUrl, "auth-2").Replace("\"webchat\"", "\"skype\"", StringComparison.Ordinal);
        using var rejected = await server.PostJsonAsync("/api/messages", skype, token);
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.Contains("endorsed", await rejected.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
