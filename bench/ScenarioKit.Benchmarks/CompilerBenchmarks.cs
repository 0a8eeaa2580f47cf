using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using ScenarioKit.Language;
using ScenarioKit.Model;

namespace ScenarioKit.Benchmarks;

/// <summary>
/// Issue 3 target: validate and build a scenario of 1,000 flows, 10,000 steps and 500 intents in under 1 s.
/// Run: dotnet run -c Release --project bench/ScenarioKit.Benchmarks -- --filter '*CompilerBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class CompilerBenchmarks
{
    string yaml = "";

    [GlobalSetup]
    public void Setup()
    {
        yaml = LargeScenario.Generate(flows: 1000, stepsPerFlow: 10, intents: 500);
        var check = ScenarioCompiler.CompileText(yaml);
        if (!check.Success || !check.Diagnostics.IsEmpty)
            throw new InvalidOperationException("the generated scenario must compile cleanly: " + string.Join("\n", check.Diagnostics.Take(5)));
    }

    [Benchmark]
    public byte[] ValidateAndBuild()
    {
        var result = ScenarioCompiler.CompileText(yaml);
        return PackageFormat.Write(result.Package!);
    }
}

/// <summary>A deterministic large scenario: each intent starts a flow; each such flow ends by jumping to a second, untriggered flow.</summary>
public static class LargeScenario
{
    static readonly string[] Words =
    [
        "order", "delivery", "refund", "invoice", "account", "password", "address", "coupon", "size", "color", "stock", "gift",
        "return", "exchange", "warranty", "repair", "plan", "contract", "router", "signal", "bill", "payment", "card", "points",
        "注文", "配送", "返品", "交換", "請求", "解約", "住所", "在庫", "サイズ", "色", "ポイント", "支払い", "領収書", "会員",
    ];

    public static string Generate(int flows, int stepsPerFlow, int intents)
    {
        var sb = new StringBuilder();
        sb.Append("scenarioKit: 1\nid: large\nversion: 1.0.0\nlocale: ja-JP\n");
        sb.Append("variables:\n");
        for (var v = 0; v < 50; v++) sb.Append(CultureInfo.InvariantCulture, $"  data.v{v}: {{ type: string, default: \"x\" }}\n");
        sb.Append("  cart.total: { type: number, default: 0 }\n");
        sb.Append("intents:\n");
        var random = new Random(42);
        for (var i = 0; i < intents; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  intent{i}:\n    examples:\n");
            for (var e = 0; e < 3; e++)
            {
                var words = Enumerable.Range(0, 4).Select(_ => Words[random.Next(Words.Length)]);
                sb.Append(CultureInfo.InvariantCulture, $"      - \"{string.Join(" ", words)} {i * 3 + e}番\"\n");
            }
        }
        sb.Append("journey:\n  - stage: browsing\n  - stage: cart\n    entersOn: { event: cart_updated, when: \"event.total > 0\" }\n");
        sb.Append("handoff:\n  queues:\n    support: { hours: \"Mon-Fri 09:00-18:00\", timezone: Asia/Tokyo }\n");
        sb.Append("actions:\n  lookup: { http: { method: GET, url: \"https://shop.example/api/${id}\", timeoutMs: 2000 } }\n");
        sb.Append("flows:\n");
        for (var f = 0; f < flows; f++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  flow{f}:\n");
            if (f < intents) sb.Append(CultureInfo.InvariantCulture, $"    trigger: {{ intent: intent{f} }}\n");
            sb.Append("    steps:\n");
            for (var s = 0; s < stepsPerFlow; s++)
            {
                var v = (f + s) % 50;
                var last = s == stepsPerFlow - 1;
                if (last && f < intents && f + intents < flows) { sb.Append(CultureInfo.InvariantCulture, $"      - goto: {{ flow: flow{f + intents} }}\n"); continue; }
                if (last) { sb.Append("      - goto: { stage: cart }\n"); continue; }
                switch (s % 5)
                {
                    case 0:
                        sb.Append(CultureInfo.InvariantCulture, $"      - say: \"ご注文 ${{data.v{v}}} を確認しました（合計 ${{cart.total * 1.1}} 円）\"\n        suggest: [はい, いいえ]\n");
                        break;
                    case 1:
                        sb.Append(CultureInfo.InvariantCulture, $"      - ask: data.v{v}\n        prompt: \"番号を入力してください\"\n        expect: {{ pattern: '^[0-9]{{8}}$' }}\n        retry: \"8桁で（残り${{ask.retriesLeft}}回）\"\n        onFail: {{ handoff: support }}\n");
                        break;
                    case 2:
                        sb.Append(CultureInfo.InvariantCulture, $"      - if: \"data.v{v} == 'x' && cart.total >= 1000\"\n        then:\n          - say: 高額です\n        else:\n          - set: {{ cart.total: \"${{cart.total + 1}}\" }}\n");
                        break;
                    case 3:
                        sb.Append(CultureInfo.InvariantCulture, $"      - call: lookup\n        with: {{ id: \"${{data.v{v}}}\" }}\n        into: data.v{(v + 1) % 50}\n");
                        break;
                    default:
                        sb.Append(CultureInfo.InvariantCulture, $"      - set: {{ data.v{v}: \"value {f}\" }}\n");
                        break;
                }
            }
        }
        return sb.ToString();
    }
}
