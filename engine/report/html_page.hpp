// engine/report/html_page.hpp - one self-contained HTML5 page: headings, paragraphs, key/value
// tables and inline SVG, with its style inline and nothing loaded from anywhere.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace rc {

/// Builds a report page in order. Every text is escaped; SVG is inserted as given.
class HtmlPage {
public:
  /// `title`: the page's <title> and first heading.
  explicit HtmlPage(std::string title);
  /// Effects: appends a section heading.
  void add_heading(const std::string& text);
  /// Effects: appends a paragraph.
  void add_paragraph(const std::string& text);
  /// Effects: appends a two-column table of (name, value) rows.
  void add_table(const std::vector<std::pair<std::string, std::string>>& rows);
  /// Effects: appends an already rendered <svg> element (render_svg()).
  void add_svg(const std::string& svg);
  /// Returns: the complete document.
  [[nodiscard]] std::string str() const;

private:
  std::string title_;
  std::string body_;
};

} // namespace rc
