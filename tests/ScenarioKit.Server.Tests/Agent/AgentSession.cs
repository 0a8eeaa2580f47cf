using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ScenarioKit.Server.Tests.Agent;

/// <summary>An agent's browser-like session over HTTP: the real sign-in form, the cookie, and the anti-forgery header on POSTs.</summary>
internal sealed partial class AgentSession : IDisposable
{
    readonly HttpClient _http;
    string? _csrf;

    AgentSession(Uri baseAddress, CookieContainer? cookies = null)
    {
        Cookies = cookies ?? new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public CookieContainer Cookies { get; }

    public HttpClient Http => _http;

    public static AgentSession Anonymous(Uri baseAddress) => new(baseAddress);

    /// <summary>The same browser (cookies, anti-forgery token) talking to another address: another node behind a load balancer.</summary>
    public AgentSession At(Uri baseAddress) => new(baseAddress, Cookies) { _csrf = _csrf };

    /// <summary>Signs in through GET/POST /agent/login; returns the session and the redirect target (where the form sends the browser).</summary>
    public static async Task<(AgentSession Session, string Location)> SignInAsync(Uri baseAddress, string login, string password)
    {
        var session = new AgentSession(baseAddress);
        var location = await session.PostLoginAsync(login, password);
        return (session, location);
    }

    public async Task<string> PostLoginAsync(string login, string password)
    {
        var response = await PostLoginRawAsync(login, password);
        return response.Headers.Location?.ToString() ?? $"status {(int)response.StatusCode}";
    }

    public async Task<HttpResponseMessage> PostLoginRawAsync(string login, string password)
    {
        var page = await _http.GetStringAsync(new Uri("/agent/login", UriKind.Relative));
        var token = TokenField().Match(page).Groups[1].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["login"] = login,
            ["password"] = password,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["returnUrl"] = "/agent",
        });
        return await _http.PostAsync(new Uri("/agent/login", UriKind.Relative), form);
    }

    public async Task<HttpResponseMessage> GetAsync(string path) => await _http.GetAsync(new Uri(path, UriKind.Relative));

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} → {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>POST with the anti-forgery header (fetched once), unless <paramref name="withCsrf"/> is false.</summary>
    public async Task<HttpResponseMessage> PostAsync(string path, object? body = null, bool withCsrf = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body is null ? "{}" : JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        if (withCsrf)
        {
            if (_csrf is null)
            {
                var token = await GetJsonAsync("/agent/api/antiforgery");
                _csrf = token.GetProperty("token").GetString();
            }
            request.Headers.TryAddWithoutValidation("X-CSRF-TOKEN", _csrf);
        }
        return await _http.SendAsync(request);
    }

    public async Task<JsonElement> PostJsonAsync(string path, object? body = null)
    {
        using var response = await PostAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path} → {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
