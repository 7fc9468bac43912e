"""dashboard/problem_table.py: the upload problems as an HTML table (escaped, '–' for no row, capped)."""

from __future__ import annotations

from dashboard import problem_table
from loaders.problems import Problem


def test_values_from_the_file_are_escaped_and_a_file_problem_has_a_dash_for_its_row():
    out = problem_table.problem_table(problem_table.problem_frame([
        Problem("x.xlsx", "Die Datei nennt keine Kommune."),
        Problem("x.xlsx", "<b>kaputt</b>", sheet="Status", row=7, column="Link", value="<script>alert(1)</script>"),
    ]))
    assert "<script>alert" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;b&gt;kaputt&lt;/b&gt;" in out
    assert '<td class="ozg-col-place ozg-num ozg-nowrap">–</td>' in out and 'ozg-nowrap">7</td>' in out
    assert '<span class="ozg-place">ganze Datei</span>Die Datei nennt keine Kommune.' in out
    assert "None" not in out and "NA" not in out


def test_long_lists_are_capped_and_say_where_the_rest_is():
    many = [Problem("x.xlsx", f"Fehler {n}", sheet="Status", row=n + 2, column="Status") for n in range(1234)]
    out = problem_table.problem_table(problem_table.problem_frame(many))
    assert out.count("<tr>") == 1 + problem_table.MAX_ROWS
    assert "Gezeigt sind die ersten 200 von 1.234 Meldungen; alle stehen im Prüfbericht (.xlsx)." in out
