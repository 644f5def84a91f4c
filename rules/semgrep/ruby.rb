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
