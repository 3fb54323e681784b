// Internal: renders the embedded mustache templates.
#pragma once

#include <kainjow/mustache.hpp>
#include <string>
#include <string_view>

namespace zcb::site::detail {

/// Renders the embedded template `templates/<name>.mustache` with @p data. Each file
/// `templates/partials/<p>.mustache` is available as the partial {{> p}}; @p data must not use
/// a partial's name as a key. `{{x}}` is HTML-escaped. Throws zcb::Error on a template error.
std::string render_template(std::string_view name, const kainjow::mustache::data& data);

}  // namespace zcb::site::detail
