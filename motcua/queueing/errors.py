"""The queue's business errors: stable codes and Vietnamese messages in one place."""

from __future__ import annotations

from motcua.core.errors import Conflict, InvalidInput, NotFound


class UnknownCenter(NotFound):
    code = "unknown_center"
    message = "Không có trung tâm này."


class UnknownService(NotFound):
    code = "unknown_queue_service"
    message = "Trung tâm không có dịch vụ lấy số này."


class UnknownCounter(NotFound):
    code = "unknown_counter"
    message = "Không có quầy này."


class UnknownTicket(NotFound):
    code = "unknown_ticket"
    message = "Không có phiếu số thứ tự này."


class UnknownPriorityGroup(InvalidInput):
    code = "unknown_priority_group"
    message = "Không có đối tượng ưu tiên này."


class NoTicketAtCounter(Conflict):
    code = "no_ticket_at_counter"
    message = "Quầy chưa gọi số nào."


class TicketNotCallable(Conflict):
    code = "ticket_not_callable"
    message = "Phiếu này không ở trạng thái có thể gọi."


class CounterBusy(Conflict):
    code = "counter_busy"
    message = "Quầy đang phục vụ một số; hãy kết thúc trước."


class UnknownAppointment(NotFound):
    code = "unknown_appointment"
    message = "Không có lịch hẹn với mã này."


class AppointmentNotToday(Conflict):
    code = "appointment_not_checkable"
    message = "Lịch hẹn không thể xác nhận lúc này (đã dùng, đã hủy, hoặc không phải khung giờ hôm nay)."


class UnknownSlot(NotFound):
    code = "unknown_slot"
    message = "Không có khung giờ hẹn này."


class SlotUnavailable(Conflict):
    code = "slot_unavailable"
    message = "Khung giờ này đã hết chỗ hoặc đã qua."


class RatingNotAllowed(Conflict):
    code = "rating_not_allowed"
    message = "Phiếu này chưa được phục vụ tại quầy hoặc đã được đánh giá."
