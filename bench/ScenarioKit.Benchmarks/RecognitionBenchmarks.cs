using System.Diagnostics;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using ScenarioKit.Engine;
using ScenarioKit.Language;

namespace ScenarioKit.Benchmarks;

/// <summary>
/// Recognition in a large scenario (issue 12): 500 intents × 20 examples, generated from a fixed seed —
/// each intent has its own words and shares common words and endings with the rest, in English and
/// Japanese — compiled once. Each operation is a turn that opens a conversation with one utterance (so
/// recognition runs over every intent): an example reworded, an example with a word changed, or text
/// that matches nothing. The probe in <see cref="Probe"/> times 20,000 such turns one by one for the p99.
/// <see cref="Locale"/> ja-JP adds the Japanese reading (compounds split into the scenario's words, romaji).
/// Run: dotnet run -c Release --project bench/ScenarioKit.Benchmarks -- --filter '*Recognition*' --job short --inProcess
/// </summary>
[MemoryDiagnoser]
public class RecognitionBenchmarks
{
    public const int Intents = 500;
    public const int ExamplesPerIntent = 20;
    const int ProbeTurns = 20_000;

    /// <summary>The scenario's locale: ja-JP also reads compounds and romaji (docs/engine.md "Recognition").</summary>
    [Params("en-US", "ja-JP")]
    public string Locale { get; set; } = "en-US";

    ScenarioRuntime _runtime = null!;
    TurnServices _services = null!;
    MessageInput[] _inputs = null!;
    int _next;

    [GlobalSetup]
    public void Setup()
    {
        var (yaml, inputs) = Generate(new Random(12), Locale);
        var compiled = ScenarioCompiler.CompileText(yaml, "large.yaml");
        if (compiled.Package is null) throw new InvalidOperationException(string.Join('\n', compiled.Diagnostics));
        _runtime = ScenarioRuntime.Load(compiled.Package);
        _services = new TurnServices(TimeProvider.System, new DefaultActionInvoker(new HttpClient(), TimeProvider.System));
        _inputs = [.. inputs.Select((t, i) => new MessageInput(t, $"r{i}"))];
        var recognised = _inputs.Count(i => Turn(i).Trace.Intent is not null);
        Console.WriteLine($"// recognition: {recognised} of {_inputs.Length} probe utterances recognised");
    }

    [Benchmark(Description = "recognise, 500 intents × 20 examples")]
    public TurnResult Recognise() => Turn(_inputs[_next++ % _inputs.Length]);

    TurnResult Turn(MessageInput input) =>
        EngineBenchmarks.Run(_runtime, _runtime.Start("c"), input, _services);

    [GlobalCleanup]
    public void Probe()
    {
        var ticks = new long[ProbeTurns];
        for (var i = 0; i < ProbeTurns; i++)
        {
            var input = _inputs[i % _inputs.Length];
            var start = Stopwatch.GetTimestamp();
            Turn(input);
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }
        static double Us(long t) => t * 1e6 / Stopwatch.Frequency;
        // The probe repeats a few dozen utterances, so its p99 is set by the slowest of them: name them.
        var slowest = Enumerable.Range(0, _inputs.Length)
            .Select(n => (Text: _inputs[n].Text, Median: ticks.Where((_, i) => i % _inputs.Length == n).Order().ElementAt(ProbeTurns / _inputs.Length / 2)))
            .OrderByDescending(m => m.Median).Take(3).ToArray();
        Array.Sort(ticks);
        double At(double q) => Us(ticks[(int)(q * (ticks.Length - 1))]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// recognition latency probe ({Locale}): {ProbeTurns} turns, p50 {At(0.5):F1} µs, p90 {At(0.9):F1} µs, p99 {At(0.99):F1} µs, max {At(1):F0} µs"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// recognition latency probe ({Locale}), slowest utterances (median µs): {string.Join("; ", slowest.Select(m => $"{Us(m.Median):F1} \"{m.Text}\""))}"));
    }

    static readonly string[] Shared = ["please", "help", "with", "my", "order", "account", "問題", "確認", "したい", "ですか", "お願いします", "について"];

    /// <summary>The scenario's YAML and the probe utterances.</summary>
    internal static (string Yaml, List<string> Inputs) Generate(Random random, string locale = "en-US")
    {
        string Word(int length, bool japanese)
        {
            var b = new StringBuilder();
            for (var i = 0; i < length; i++)
                b.Append(japanese ? (char)(0x4E00 + random.Next(0, 2000)) : (char)('a' + random.Next(0, 26)));
            return b.ToString();
        }
        var yaml = new StringBuilder($"scenarioKit: 1\nid: large\nversion: 1.0.0\nlocale: {locale}\nintents:\n");
        var inputs = new List<string>();
        for (var i = 0; i < Intents; i++)
        {
            var japanese = i % 2 == 1;
            var own = Enumerable.Range(0, 6).Select(_ => Word(japanese ? 2 : random.Next(4, 9), japanese)).ToArray();
            var examples = new List<string>();
            for (var e = 0; e < ExamplesPerIntent; e++)
            {
                var words = Enumerable.Range(0, random.Next(3, 7))
                    .Select(_ => random.Next(3) == 0 ? Shared[random.Next(Shared.Length)] : own[random.Next(own.Length)]);
                examples.Add(string.Join(japanese ? "" : " ", words));
            }
            yaml.Append(CultureInfo.InvariantCulture, $"  intent_{i}:\n    examples:\n");
            foreach (var e in examples.Distinct()) yaml.Append(CultureInfo.InvariantCulture, $"      - \"{e}\"\n");
            if (i % 25 == 0)
            {
                inputs.Add(string.Join(japanese ? "" : " ", own.Take(3)));
                inputs.Add(examples[0] + (japanese ? "を教えてください" : " please"));
                inputs.Add(string.Join(japanese ? "" : " ", own.Take(2).Append(Word(5, japanese))));
                inputs.Add(Word(8, japanese));
            }
        }
        return (yaml.ToString(), inputs);
    }
}
