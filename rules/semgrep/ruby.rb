class WebhooksController < ApplicationController
  # ruleid: rb.rails.csrf-protection-skipped
  skip_before_action :verify_authenticity_token
end

class PaymentsController < ApplicationController
  # ruleid: rb.rails.csrf-protection-skipped
  skip_before_action :verify_authenticity_token, only: [:create]
  # ok: rb.rails.csrf-protection-skipped
  skip_before_action :authenticate_user!
end

class ApiController < ActionController::Base
  # ruleid: rb.rails.csrf-protection-skipped
  skip_forgery_protection
  # ruleid: rb.rails.csrf-protection-skipped
  protect_from_forgery with: :null_session
end

class AccountsController < ApplicationController
  # ok: rb.rails.csrf-protection-skipped
  protect_from_forgery with: :exception
end

class PagesController < ApplicationController
  def preview
    # ruleid: rb.rails.render-inline-dynamic
    render inline: params[:template]
    # ruleid: rb.rails.render-inline-dynamic
    render(inline: "<h1>#{@page.title}</h1>", layout: true)
    # ok: rb.rails.render-inline-dynamic
    render inline: "<%= @page.title %>"
    # ok: rb.rails.render-inline-dynamic
    render template: "pages/show"
  end
end

class App < Sinatra::Base
  # ruleid: rb.sinatra.protection-disabled
  set :protection, false
  # ruleid: rb.sinatra.protection-disabled
  disable :protection
  # ok: rb.sinatra.protection-disabled
  set :protection, except: [:frame_options]
  # ok: rb.sinatra.protection-disabled
  set :sessions, false
end

def upload(host, user, password)
  # ruleid: rb.cleartext.telnet-ftp-client
  ftp = Net::FTP.new(host, user, password)
  # ruleid: rb.cleartext.telnet-ftp-client
  Net::Telnet.new("Host" => host, "Port" => 23)
  # ok: rb.cleartext.telnet-ftp-client
  Net::FTP.open(host, username: user, password: password, ssl: true)
  # ok: rb.cleartext.telnet-ftp-client
  Net::SFTP.start(host, user, password: password)
end

# ruleid: rb.os.permissive-umask
File.umask(0)
# ruleid: rb.os.permissive-umask
previous = File.umask(0o000)
# ok: rb.os.permissive-umask
File.umask(0o022)
# ok: rb.os.permissive-umask
File.umask

# ruleid: rb.rails.session-cookie-insecure
Rails.application.config.session_store :cookie_store, key: "_app_session", secure: false
# ruleid: rb.rails.session-cookie-insecure
config.session_store(:cookie_store, httponly: false)
# ok: rb.rails.session-cookie-insecure
Rails.application.config.session_store :cookie_store, key: "_app_session", secure: Rails.env.production?
# ok: rb.rails.session-cookie-insecure
Rails.application.config.session_store :cookie_store, key: "_app_session"
